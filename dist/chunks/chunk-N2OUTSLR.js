import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{realpathSync as t}from"node:fs";import{pathToFileURL as n}from"node:url";function a(e){let r=process.argv[1];if(r===void 0)return!1;try{return n(t(r)).href===e}catch{return!1}}export{a};
