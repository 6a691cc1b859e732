import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{k as i,l as n,m}from"./chunks/chunk-FL66QNF4.js";import{i as r,k as t}from"./chunks/chunk-L3VZPAMS.js";import"./chunks/chunk-IVXATQKP.js";async function e(){await m(async()=>{let o=r(process.env);await n(o,i(o))})}t(import.meta.url)&&e();export{e as run};
