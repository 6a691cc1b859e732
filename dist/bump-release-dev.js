import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{k as r,l as i,m}from"./chunks/chunk-FCZ3YPXR.js";import{t,v as n}from"./chunks/chunk-HQR45MSY.js";import"./chunks/chunk-IVXATQKP.js";async function a(){await m(async()=>{let o=t();await i(o,r(o))})}n(import.meta.url)&&a();export{a as run};
