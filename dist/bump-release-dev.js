import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{k as r,l as i,m as n,n as m}from"./chunks/chunk-FQYCNA5P.js";import{v as t}from"./chunks/chunk-YMDGXUDD.js";import"./chunks/chunk-IVXATQKP.js";async function a(){await n(async()=>{let o=t();await i(o,r(o))})}m(import.meta.url)&&a();export{a as run};
