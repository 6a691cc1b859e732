#!/usr/bin/env node
import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as ye,b as we}from"./chunks/chunk-VXE7M7F7.js";import{a as _e,b as Ue,c as Be,d as De,e as He,f as Me,g as Fe,h as Le,i as Ye,j as We,k as Ke,l as je}from"./chunks/chunk-RD3CFCGG.js";import{a as Pe}from"./chunks/chunk-O5ZNGNJW.js";import{a as Ge,b as j,d as xe,e as $e,f as Ce}from"./chunks/chunk-W4WROMXS.js";import{a as le,b as ue,f as Ee}from"./chunks/chunk-YXYVYH24.js";import{a as $,b as Ie,d as ke,f as Ne}from"./chunks/chunk-NVNVNHFW.js";import{B as Re,E as Te,I as Ae,P as ve,Q as Oe,S as Se,a as _,b as v,c as u,d as ae,e as K,j as ce,k as pe,l as E,m as N,n as de,p as U,q as me,r as x,s as G,t as ge,u as fe,w as he,x as be,y as B}from"./chunks/chunk-347AECJA.js";import"./chunks/chunk-6HSY4ZO2.js";import"./chunks/chunk-EEEC4TXW.js";import{parseArgs as Yt}from"node:util";var m=0,D=1,q=2,f=class extends v{name="UsageError";userMistake=!0},yt={app:"--app",tag:"--tag",image:"--image",digest:"--digest",environment:"--env","gitops-repository":"--repo",branch:"--branch",mode:"--mode",from:"--from",to:"--to",force:"--force"};function wt(r){let t=yt[r]??r;return t.startsWith("--")||/^[A-Z_]+$/.test(t)?t:void 0}function qe(r){return pe(r,wt)}function Ve(r){return r instanceof v&&r.userMistake}function H(r){if(!(r instanceof Error)||!(r.code??"").startsWith("ERR_PARSE_ARGS_"))return;let e=/Unknown option '([^']+)'/.exec(r.message);if(e)return new f(`unknown flag ${e[1]}`);let o=/Unexpected argument '([^']*)'/.exec(r.message);if(o)return new f(`unexpected argument ${_(o[1]??"")}`);let n=/Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(r.message);return n?new f(`${n[2]} needs a value`):new f(r.message.split(". ")[0]??r.message)}import{parseArgs as Nt}from"node:util";import{mkdtemp as Tt,mkdir as At,realpath as Qe,rm as vt,writeFile as Ot}from"node:fs/promises";import{tmpdir as St}from"node:os";import{dirname as Pt,join as X,resolve as It,sep as kt}from"node:path";import{execFile as bt}from"node:child_process";var O=class extends v{constructor(e,o,n){super(e);this.exitCode=o;this.stderr=n}exitCode;stderr;name="GitError"},Et=256*1024*1024;function S(r,t,e={}){return new Promise((o,n)=>{let s={cwd:r,encoding:"buffer",maxBuffer:Et,env:{...process.env,...e.env,GIT_TERMINAL_PROMPT:"0",GIT_PAGER:"cat",GIT_EDITOR:"true"}},i=bt("git",[...t],s,(a,d,c)=>{let p=c.toString("utf8").trim();if(a&&typeof a.code=="string"){n(new O(a.code==="ENOENT"?"git was not found on PATH: --local needs the git command":`git: ${a.message}`,null,p));return}let l=a?typeof a.code=="number"?a.code:1:0;if(l!==0&&!(e.allow??[]).includes(l)){n(new O(`git ${t[0]??""} failed: ${p||`exit code ${l}`}`,l,p));return}o({stdout:d,stderr:p,code:l})});i.stdin?.on("error",()=>{}),i.stdin?.end(e.input??"")})}var w=r=>r.stdout.toString("utf8").trim();function M(r,t){let e=[],o=0;for(let n of t){let s=r.indexOf(10,o);if(s<0)throw new Error(`git cat-file --batch ended early, before ${n}`);let i=r.subarray(o,s).toString("utf8");if(o=s+1,i.endsWith(" missing")||i.endsWith(" ambiguous")){e.push(null);continue}let a=/^[0-9a-f]+ (\S+) (\d+)$/.exec(i);if(!a)throw new Error(`unexpected git cat-file --batch header for ${n}: ${i}`);let[,d,c]=a,p=r.subarray(o,o+Number(c));o+=Number(c)+1,e.push(d==="blob"?Buffer.from(p):{type:d})}return e}var V="",Xe="";async function Rt(r){let t=await S(r,["notes",`--ref=${Ie}`,"list"],{allow:[1,128]}),e=new Map;if(t.code!==0)return e;for(let o of w(t).split(`
`)){let[n,s]=o.split(" ");n&&s&&e.set(s,n)}return e}async function Je(r,t){if(t.length===0)return[];let e=await S(r,["cat-file","--batch"],{input:t.map(o=>`${o}
`).join("")});return M(e.stdout,t).map(o=>Buffer.isBuffer(o)?o.toString("utf8"):null)}async function ze(r,t,e,o){let n=new Map(e.map(g=>[g,[]]));if(e.length===0)return n;let s=await S(r,["log","-z",`--format=${V}%H${Xe}%B${V}`,"--name-only",t,"--",...e.map(g=>`:(literal)${g}`)]),i=new Set(e),a=[],d=new Map,c=s.stdout.toString("utf8").split(V);for(let g=1;g+1<c.length;g+=2){let I=c[g],ie=I.indexOf(Xe),gt=I.slice(0,ie),ft=I.slice(ie+1),ht=c[g+1].split("\0").map(k=>k.replace(/^\n/,"")).filter(k=>i.has(k));for(let k of ht){let se=d.get(k)??0;se>=o||(d.set(k,se+1),a.push({oid:gt,message:ft,path:k}))}}let p=await Je(r,a.map(g=>`${g.oid}:${g.path}`)),l=await Rt(r),h=[...new Set(a.map(g=>g.oid))].filter(g=>l.has(g)),b=await Je(r,h.map(g=>l.get(g))),P=new Map(h.map((g,I)=>[g,ke(b[I]).records]));return a.forEach((g,I)=>{n.get(g.path)?.push({oid:g.oid,message:g.message,text:p[I]??null,records:P.get(g.oid)??[]})}),n}var Ze={name:"tagrelay",email:"tagrelay@users.noreply.github.com"},J=class extends v{constructor(e,o){super(`${o.join(", ")} ${o.length===1?"has":"have"} uncommitted changes in ${e}: commit or stash them first (tagrelay only commits files that match the branch head)`);this.directory=e;this.paths=o}directory;paths;name="DirtyWorkTreeError"},F=class r{constructor(t){this.directory=t;this.description=t}directory;description;static async open(t){let e=It(t),o;try{o=await Qe(e)}catch{throw new u("--local",t,"an existing directory: the top of a git work tree (a checkout of the GitOps repository)")}let n;try{if(w(await S(o,["rev-parse","--is-inside-work-tree"]))!=="true")throw new Error("not a work tree");n=w(await S(o,["rev-parse","--show-toplevel"]))}catch(i){if(i instanceof O&&i.exitCode===null)throw i;let a=i instanceof O&&i.stderr?` (git says: ${i.stderr.split(`
`)[0]})`:"";throw new u("--local",t,`the top of a git work tree (a checkout of the GitOps repository); ${e} is not a git work tree${a}`)}let s=await Qe(n);if(s!==o)throw new u("--local",t,`the top of a git work tree; ${e} is inside the work tree ${s}, whose paths would not match the GitOps layout`);return new r(o)}git(t,e){return S(this.directory,t,e)}async currentBranch(){let t=await this.git(["symbolic-ref","--quiet","--short","HEAD"],{allow:[1]}),e=w(t);if(t.code!==0||e==="")throw new u("--local",this.directory,"a work tree with a branch checked out (HEAD is detached): git switch <branch> first");return e}async checkBranch(t){let e=await this.currentBranch();if(t!==void 0&&t!==e)throw new u("--branch",t,`the branch checked out in ${this.directory} ("${e}"): with --local only the checked-out branch is read and committed to; git switch ${t} first, or leave --branch out`);return e}async headOf(t){let e=await this.git(["rev-parse","--quiet","--verify",`refs/heads/${t}^{commit}`],{allow:[1]}),o=w(e);if(e.code!==0||o==="")throw new u("--local",this.directory,`a work tree whose branch "${t}" has at least one commit`);return o}async read(t,e){let o=await this.checkBranch(t),n=await this.headOf(o);return{branch:o,headOid:n,files:await this.readAt(n,e)}}async readAt(t,e){let o=new Map;if(e.length===0)return o;let n=e.map(i=>`${t}:${i}`),s=await this.git(["cat-file","--batch"],{input:n.map(i=>`${i}
`).join("")});return M(s.stdout,n).forEach((i,a)=>{let d=e[a];if(i!==null&&!Buffer.isBuffer(i))throw new ae(d,`is a ${i.type} in ${this.directory}, not a file`);o.set(d,i===null?null:i.toString("utf8"))}),o}async readWithHistory(t,e,o,n){let s=await this.read(t,e);return{...s,history:await ze(this.directory,s.headOid,o,n)}}async userName(){let t=await this.git(["config","--get","user.name"],{allow:[1]});return t.code===0&&w(t)!==""?w(t):void 0}async remoteUrl(t="origin"){let e=await this.git(["remote","get-url",t],{allow:[2,128]}),o=w(e);return e.code===0&&o!==""?o:void 0}async listFiles(t){return(await this.git(["ls-tree","-r","-z","--name-only",t])).stdout.toString("utf8").split("\0").filter(o=>o!=="")}async dirtyPaths(t){let o=(await this.git(["status","--porcelain=v1","-z","--untracked-files=all","--",...t.map(s=>`:(literal)${s}`)])).stdout.toString("utf8").split("\0"),n=[];for(let s=0;s<o.length;s++){let i=o[s];i.length<4||(n.push(i.slice(3)),(i[0]==="R"||i[0]==="C")&&s++)}return n}async identityArgs(){let t=[];for(let[e,o]of[["user.name",Ze.name],["user.email",Ze.email]]){let n=await this.git(["config","--get",e],{allow:[1]});(n.code!==0||w(n)==="")&&t.push("-c",`${e}=${o}`)}return t}async commit(t){let e=await this.checkBranch(t.branch),o=await this.headOf(e);if(o!==t.expectedHeadOid)throw new K(`${e} of ${this.directory} moved from ${t.expectedHeadOid} to ${o}`);let n=t.files.map(c=>c.path);for(let c of n)if(c===""||c.startsWith("/")||c.split("/").some(p=>p===".."||p==="."||p===""||p===".git"))throw new v(`refusing to write ${JSON.stringify(c)}: not a plain path inside the repository`);let s=await this.dirtyPaths(n);if(s.length>0)throw new J(this.directory,s);let i=await Tt(X(St(),"tagrelay-index-")),a;try{let c={GIT_INDEX_FILE:X(i,"index")};await this.git(["read-tree",o],{env:c});let p=await this.modes(o,n);for(let b of t.files){let P=w(await this.git(["hash-object","-w","--stdin",`--path=${b.path}`],{input:Buffer.from(b.content,"utf8")}));await this.git(["update-index","--add","--cacheinfo",`${p.get(b.path)??"100644"},${P},${b.path}`],{env:c})}let l=w(await this.git(["write-tree"],{env:c})),h=await this.identityArgs();a=w(await this.git([...h,"commit-tree",l,"-p",o,"-F","-"],{input:Re(t.message)}))}finally{await vt(i,{recursive:!0,force:!0})}let d=await this.git(["update-ref","-m",`commit: ${t.message.headline}`,`refs/heads/${e}`,a,o],{allow:[1,128]});if(d.code!==0)throw await this.headOf(e).catch(()=>{})!==o?new K(`${e} of ${this.directory} moved while committing`):new O(`git update-ref failed: ${d.stderr}`,d.code,d.stderr);for(let c of t.files){let p=X(this.directory,...c.path.split("/"));if(!p.startsWith(this.directory+kt))throw new v(`refusing to write outside ${this.directory}: ${c.path}`);await At(Pt(p),{recursive:!0}),await Ot(p,c.content,"utf8")}return await this.stage(n,a),{oid:a}}async stage(t,e){let o=["add","--",...t.map(n=>`:(literal)${n}`)];for(let n=1;;n++)try{await this.git(o);return}catch(s){if(!(s instanceof O&&/index\.lock/.test(s.stderr))||n>=100){let a=s instanceof Error?s.message:String(s);throw new v(`committed ${e}, but could not update the index of ${this.directory} for ${t.join(", ")} (${a}); run: git -C ${this.directory} add -- ${t.join(" ")}`)}await new Promise(a=>setTimeout(a,10+Math.random()*40))}}async modes(t,e){let o=await this.git(["ls-tree","-z",t,"--",...e.map(s=>`:(literal)${s}`)]),n=new Map;for(let s of o.stdout.toString("utf8").split("\0")){let i=/^(\d+) blob [0-9a-f]+\t(.*)$/s.exec(s);i&&n.set(i[2],i[1])}return n}};var R={repo:{type:"string"},branch:{type:"string"},local:{type:"string"},help:{type:"boolean",short:"h"}};function y(r,t){try{return Nt({args:r,options:t,strict:!0,allowPositionals:!1}).values}catch(e){throw H(e)??e}}function T(r){if(r.repo!==void 0&&r.local!==void 0)throw new f("give either --repo OWNER/NAME or --local DIR, not both");let t=r.branch===void 0?void 0:fe(r.branch,"--branch");if(r.local!==void 0){if(r.local==="")throw new u("--local",void 0,"the directory of a git checkout");return{kind:"local",dir:r.local,branch:t}}if(r.repo===void 0)throw new f("say where the GitOps repository is: --repo OWNER/NAME (GitHub) or --local DIR (a git checkout)");return{kind:"github",repository:ge(r.repo,"--repo"),branch:t}}function et(r){return r===void 0?void 0:G(r.join(","),"--app")}function Gt(r){let t=(r.GITHUB_TOKEN||r.GH_TOKEN||"").trim();if(t==="")throw new u("GITHUB_TOKEN",void 0,"a GitHub token in GITHUB_TOKEN (or GH_TOKEN) with contents: write on the repository (for example GITHUB_TOKEN=$(gh auth token))");return t}async function A(r,t){if(r.kind==="local"){let s=await F.open(r.dir);return{target:s,local:s}}let e=Gt(t.env);t.secrets.push(e);let o=E(t.env),n=Ne(r.repository,{token:e,apiUrl:o.apiUrl,graphqlUrl:o.graphqlUrl,log:{debug:()=>{},info:s=>t.stderr(`${s}
`),warning:s=>t.stderr(`warning: ${s}
`)}});return{target:n,github:n}}var z=`Usage: tagrelay bump --app APP[,APP...] --tag TAG
                    (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                    [--image REPOSITORY] [--digest DIGEST] [--env ENV] [--dry-run]

Set image.tag in the release layer of each app (deploy/env/release-<env>/<app>.yaml)
to TAG: one commit for all the apps, or none when they already have it.

Flags:
  --app APP[,APP...]   App names (DNS labels), comma-separated or repeated (required)
  --tag TAG            Immutable image tag, e.g. sha-0123456789ab (required; latest
                       and the layout's deny-list are refused)
  --image REPOSITORY   Also set image.repository, e.g. ghcr.io/synestra/corporate
  --digest DIGEST      Also set image.digest (sha256:<64 hex>) and the Release-Digest trailer
  --env ENV            Environment whose release layer changes (default: dev)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to commit to (default: the repository's default branch;
                       with --local only the checked-out branch)
  --mode MODE          direct (default): commit to the branch; pull-request: commit to
                       tagrelay/<env>/<app>/<tag> and open a pull request (--repo only)
  --local DIR          Commit in a local git checkout instead of on GitHub
  --dry-run            Print the unified diff that would be committed; change nothing
  -h, --help           Show this help

Prints one line per app (corporate: sha-old \u2192 sha-new in dev, or corporate: already
at sha-new in dev), then "committed <sha> [<url>]" or "nothing to commit".
`,xt={...R,app:{type:"string",multiple:!0},tag:{type:"string"},image:{type:"string"},digest:{type:"string"},env:{type:"string"},mode:{type:"string"},"dry-run":{type:"boolean"}};function C(r){let t=r.changeSet.apps.map(ve);return r.changeSet.files.length===0?t.push("nothing to commit"):r.dryRun?t.push(r.diff.trimEnd(),"dry run: nothing committed"):r.commit&&t.push(`committed ${r.commit.oid}${r.commit.url?` ${r.commit.url}`:""}`),r.pullRequest&&(t.push(`pull request #${r.pullRequest.number} ${r.pullRequest.url} (branch ${r.pullRequest.branch})`),r.pullRequest.autoMerge!=="enabled"&&t.push(`auto-merge not enabled: ${r.pullRequest.autoMerge}`)),r.attempts>1&&t.push(`(the branch moved meanwhile: committed on attempt ${r.attempts})`),`${t.join(`
`)}
`}async function tt(r,t){let e=y(r,xt);if(e.help)return t.stdout(z),m;let o=Pe({app:(e.app??[]).join(","),tag:e.tag??"",image:e.image,digest:e.digest,environment:e.env},{sourceCommit:N(E(t.env))}),n=e.mode??"direct";if(n!=="direct"&&n!=="pull-request")throw new u("--mode",e.mode,"direct or pull-request");let s=T(e);if(s.kind==="local"&&n==="pull-request")throw new u("--mode",n,"direct: pull requests need --repo (a local checkout gets a commit)");let{target:i,github:a}=await A(s,t),d=await $(i,{paths:Oe(o.env,o.apps,Te),plan:c=>Se(o,c)},{branch:s.branch,mode:n,dryRun:e["dry-run"]??!1,engine:{log:c=>t.stderr(`${c}
`)}},a);return t.stdout(C(d)),m}var L={username:{type:"string"},"password-stdin":{type:"boolean"}};async function Y(r,t){if(r["password-stdin"]){if(!r.username)throw new f("--password-stdin needs --username");if(!t.stdin)throw new f("--password-stdin: no standard input to read");let n=(await t.stdin()).replace(/\r?\n$/,"");if(n==="")throw new u("--password-stdin",void 0,"a password or token on stdin");return t.secrets.push(n),{username:r.username,password:n}}if(r.username!==void 0)throw new f("--username needs --password-stdin");let e=t.env.REGISTRY_USERNAME?.trim()??"",o=t.env.REGISTRY_PASSWORD??"";if(!(e===""&&o==="")){if(e==="")throw new u("REGISTRY_USERNAME",void 0,"the user REGISTRY_PASSWORD belongs to");if(o==="")throw new u("REGISTRY_PASSWORD",void 0,`the password or token of ${e}`);return{username:e,password:o}}}var Q=`Usage: tagrelay digest --image REPOSITORY --tag TAG
                      [--username USER --password-stdin] [--insecure]

Print the manifest digest (sha256:<64 hex>) the registry serves for REPOSITORY:TAG,
and nothing else. Exits 1 when the tag does not exist, 2 for a malformed reference.

Flags:
  --image REPOSITORY  Image repository without tag or digest, e.g. ghcr.io/acme/web
                      (docker.io is Docker Hub: alpine is docker.io/library/alpine)
  --tag TAG           Tag to look up
  --username USER     Registry user; the password or token comes from stdin
  --password-stdin    Read the password or token from stdin (with --username)
  --insecure          Allow plain HTTP to a registry that is not on this machine
                      (localhost, 127.0.0.1 and [::1] always use it)
  -h, --help          Show this help

Without --username, REGISTRY_USERNAME and REGISTRY_PASSWORD are used when set;
otherwise the registry is asked anonymously (public images).
`,$t={image:{type:"string"},tag:{type:"string"},...L,insecure:{type:"boolean"},help:{type:"boolean",short:"h"}};async function rt(r,t){let e=y(r,$t);if(e.help)return t.stdout(Q),m;let o=le(e.image??"","--image"),n=U(e.tag??"",{input:"--tag",denied:[]}),s=new Ee(o,{credentials:await Y(e,t),insecure:e.insecure??!1,userAgent:B});try{let i={...o,tag:n},a=await s.lookup(i);if(!a.found)throw new ce(`${ue(i)} does not exist in registry ${o.registry} (${a.reason})`);return t.stdout(`${a.digest}
`),m}finally{await s.close()}}var Z=`Usage: tagrelay init --app APP --image REPOSITORY --tag TAG
                    (--repo OWNER/NAME [--branch BRANCH] | --local DIR)
                    [--repo-url URL] [--dry-run]

Bootstrap a site: for every environment of the chain (dev, prod unless
deploy/tagrelay.yaml says otherwise) write its release layer, env layer and
Argo CD Application, in one commit. Refuses, changing nothing, when any of
the files exists. Hosts, Application names and namespaces follow
deploy/tagrelay.yaml (default <app>.dev.synestra.tech, <app>.synestra.io,
<app>-<env>, web-<app>-<env>).

Flags:
  --app APP            The new app's name (a DNS label) (required)
  --image REPOSITORY   Its image repository, e.g. ghcr.io/synestra/corporate (required)
  --tag TAG            The first release, written into every environment (required)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to commit to and the Applications track (default: the
                       default branch, tracked as HEAD)
  --local DIR          Commit in a local git checkout instead
  --repo-url URL       The GitOps repository's clone URL for the Applications
                       (default: https://github.com/OWNER/NAME.git, or the checkout's origin)
  --dry-run            Print the files that would be written; change nothing
  -h, --help           Show this help
`,Ct={...R,app:{type:"string"},image:{type:"string"},tag:{type:"string"},"repo-url":{type:"string"},"dry-run":{type:"boolean"}};function _t(r){if(!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(r))throw new u("--repo-url",r,"a clone URL such as https://github.com/synestra/gitops.git");return r}async function ot(r,t){let e=y(r,Ct);if(e.help)return t.stdout(Z),m;let o=me(e.app??"","--app"),n=he(e.image??"","--image"),s=U(e.tag??"",{input:"--tag"}),i=T(e),{target:a,local:d}=await A(i,t),c=e["repo-url"]===void 0?void 0:_t(e["repo-url"]);if(c===void 0&&i.kind==="github"){let{serverUrl:h}=E(t.env);c=`${h}/${i.repository.owner}/${i.repository.name}.git`}if(c??=await d?.remoteUrl(),c===void 0)throw new f(`${i.kind==="local"?i.dir:"the checkout"} has no origin remote: give --repo-url URL`);let p=await $(a,Be({app:o,image:n,tag:s,repoURL:c},i.branch),{branch:i.branch,mode:"direct",dryRun:e["dry-run"]??!1,engine:{log:h=>t.stderr(`${h}
`)}}),l=p.changeSet.files.map(h=>`created ${h.path}`);p.dryRun?l.push(p.diff.trimEnd(),"dry run: nothing committed"):p.commit&&l.push(`committed ${p.commit.oid}${p.commit.url?` ${p.commit.url}`:""}`),l.push("","Not done by tagrelay (the rest of the bootstrap):");for(let h of _e(p.layout,o))l.push(`  - ${h}`);return t.stdout(`${l.join(`
`)}
`),m}var ee=`Usage: tagrelay promote --app APP[,APP...] [--tag TAG] [--from ENV] [--to ENV]
                       (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                       [--force] [--check-digest [--username USER --password-stdin]] [--dry-run]

Write the tag verified in the environment before into the next one (dev \u2192 prod by
default), for every app in one commit, only when the gate holds for each app:
  - the tag is the source environment's current tag (or --tag, verified there),
  - the newest verification record for it there is a success (smoke-dev's),
  - image.repository is the same on both sides,
  - with --check-digest, the registry still maps the tag to the recorded digest,
  - the target was not rolled back from that tag.
If any app fails, nothing is committed and each failure is printed (exit 1).

Flags:
  --app APP[,APP...]   Apps to promote (required)
  --tag TAG            Promote this tag instead of the source's current one
  --from ENV           Source environment (default: the one before --to)
  --to ENV             Target environment (default: the last of the chain)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch (default: the default branch)
  --mode MODE          direct (default) or pull-request (--repo only)
  --local DIR          A local git checkout (records are git notes under refs/notes/tagrelay)
  --force              Promote even when a check fails (Forced-By: who)
  --check-digest       Ask the registry for each tag's digest (REGISTRY_USERNAME and
                       REGISTRY_PASSWORD, or --username with --password-stdin)
  --dry-run            Print the diff; change nothing
  -h, --help           Show this help
`,te=`Usage: tagrelay rollback --app APP [--env ENV] [--tag TAG]
                        (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                        [--force] [--dry-run]

Take an environment (default: the last of the chain) back to the tag it had before
its current one, or to --tag: a tag it had before, or one verified in the environment
before it. The commit carries Rollback-Of: a later promotion of the rolled-back tag is
refused unless forced.
`,Ut={...R,...L,app:{type:"string",multiple:!0},tag:{type:"string"},from:{type:"string"},to:{type:"string"},mode:{type:"string"},force:{type:"boolean"},"check-digest":{type:"boolean"},"dry-run":{type:"boolean"}},Bt={...R,app:{type:"string"},env:{type:"string"},tag:{type:"string"},mode:{type:"string"},force:{type:"boolean"},"dry-run":{type:"boolean"}};function nt(r,t){let e=r??"direct";if(e!=="direct"&&e!=="pull-request")throw new u("--mode",r,"direct or pull-request");if(t&&e==="pull-request")throw new u("--mode",e,"direct: pull requests need --repo (a local checkout gets a commit)");return e}async function it(r,t){return r.env.GITHUB_ACTOR||await t.local?.userName()||r.env.USER||"unknown"}function st(r,t,e){let o=C(t).split(`
`).slice(t.changeSet.apps.length).join(`
`);r.stdout(`${[...e,o.trimEnd()].filter(n=>n!=="").join(`
`)}
`)}async function at(r,t){let e=y(r,Ut);if(e.help)return t.stdout(ee),m;let o=G((e.app??[]).join(","),"--app"),n=T(e),s=nt(e.mode,n.kind==="local");e.to!==void 0&&x(e.to,"--to"),e.from!==void 0&&x(e.from,"--from");let i=e["check-digest"]?await Y(e,t):void 0,a=await A(n,t),d=e["check-digest"]?Ce({credentials:i,userAgent:B}):void 0;try{let c=await xe(a.target,{apps:o,to:e.to,from:e.from,tag:e.tag,force:e.force??!1,forcedBy:e.force?await it(t,a):void 0,sourceCommit:N(E(t.env))},{branch:n.branch,mode:s,dryRun:e["dry-run"]??!1,engine:{log:l=>t.stderr(`${l}
`)},digestOf:d?.digestOf},a.github),p=new Map(c.changeSet.apps.map(l=>[l.app,l.previous.tag]));return st(t,c,c.verdicts.map(l=>j(l,p.get(l.app)))),m}catch(c){if(c instanceof Ge)for(let p of c.verdicts)t.stderr(`${j(p)}
`);throw c}finally{await d?.close()}}async function ct(r,t){let e=y(r,Bt);if(e.help)return t.stdout(te),m;let[o]=G(e.app??"","--app"),n=T(e),s=nt(e.mode,n.kind==="local"),i=await A(n,t),a=await $e(i.target,{app:o,env:e.env===void 0?void 0:x(e.env,"--env"),tag:e.tag,force:e.force??!1,forcedBy:e.force?await it(t,i):void 0,sourceCommit:N(E(t.env))},{branch:n.branch,mode:s,dryRun:e["dry-run"]??!1,engine:{log:d=>t.stderr(`${d}
`)}},i.github);return st(t,a,a.changeSet.apps.map(d=>`${d.app}: ${d.previous.tag??"(none)"} \u2192 ${d.tag} (rollback)`)),m}var re=`Usage: tagrelay reset --app APP[,APP...] [--env ENV]
                     (--repo OWNER/NAME [--branch BRANCH] | --local DIR)
                     [--argocd-server URL [--argocd-token-stdin] [--drift] [--timeout 5m]]
                     [--dry-run]

Undo an environment that ran ahead: its release layer takes the tag (and image) of
the next environment in the chain (dev takes prod's), in one commit.

With --argocd-server (token from ARGOCD_AUTH_TOKEN, or --argocd-token-stdin), then
wait until each Application runs that release. With --drift, first ask Argo CD to
sync each Application (hard refresh, prune) so changes made in the cluster by hot
development are undone (dev runs with selfHeal: false), and wait until it is Synced
and Healthy. Application names follow deploy/tagrelay.yaml (argocd.application).

Flags:
  --app APP[,APP...]     Apps to reset (required)
  --env ENV              The environment to reset (default: dev, the first)
  --repo, --branch, --local  Where the GitOps repository is (see tagrelay --help)
  --argocd-server URL    Argo CD's address, e.g. https://argocd.example.com
  --argocd-token-stdin   Read the Argo CD token from stdin
  --drift                Also sync the Applications to undo drift in the cluster
  --timeout DURATION     How long to wait for Argo CD (default 5m)
  --dry-run              Print the diff; change nothing
  -h, --help             Show this help
`,Dt={...R,app:{type:"string",multiple:!0},env:{type:"string"},"argocd-server":{type:"string"},"argocd-token-stdin":{type:"boolean"},drift:{type:"boolean"},timeout:{type:"string"},"dry-run":{type:"boolean"}};async function Ht(r,t){let e=t.env.ARGOCD_AUTH_TOKEN?.trim()??"";if(r["argocd-token-stdin"]){if(!t.stdin)throw new f("--argocd-token-stdin: no standard input to read");e=(await t.stdin()).trim()}if(e==="")throw new u("ARGOCD_AUTH_TOKEN",void 0,"an Argo CD API token (or --argocd-token-stdin)");return t.secrets.push(e),e}function Mt(r){if(!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(r))throw new u("--argocd-server",r,"the http(s) address of Argo CD, e.g. https://argocd.example.com");return r}async function pt(r,t){let e=y(r,Dt);if(e.help)return t.stdout(re),m;let o=G((e.app??[]).join(","),"--app"),n=x(e.env??"dev","--env"),s=Ue(e.timeout??"5m","--timeout",{minMs:1e3});if((e.drift||e["argocd-token-stdin"])&&e["argocd-server"]===void 0)throw new f("--drift and --argocd-token-stdin need --argocd-server");let i=e["argocd-server"]===void 0?void 0:Mt(e["argocd-server"]),a=i===void 0?void 0:await Ht(e,t),d=T(e),c=await A(d,t),p=b=>t.stderr(`${b}
`),l=await $(c.target,De({env:n,apps:o,sourceCommit:N(E(t.env))}),{branch:d.branch,mode:"direct",dryRun:e["dry-run"]??!1,engine:{log:p}});if(t.stdout(C(l)),i===void 0||a===void 0||l.dryRun)return m;let h=new Le({server:i,token:a,requestTimeoutMs:1e4});try{for(let b of l.changeSet.apps){let P=Ae(l.layout,n,b.app);e.drift&&await Fe(h,P,{timeoutMs:s,log:p}),await He(h,P,Me(b.tag,l.commit?.oid),{timeoutMs:s,log:p}),t.stdout(`${P}: runs ${b.tag}${e.drift?", drift undone":""}
`)}}finally{await h.close()}return m}var oe=`Usage: tagrelay status (--repo OWNER/NAME [--branch BRANCH] --app APP[,APP...]
                        | --local DIR [--app APP[,APP...]]) [--json]

Show the image tag of each app in every environment of the layout's chain
(dev, prod unless deploy/tagrelay.yaml says otherwise), read at one commit.
Apps whose tag differs from the next environment's are marked "dev ahead of prod".

Flags:
  --app APP[,APP...]   Apps to show; with --local, default: every app that has a
                       release file; required with --repo
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to read (default: the repository's default branch;
                       with --local only the checked-out branch)
  --local DIR          Read a local git checkout (its checked-out branch's head commit)
  --json               Print JSON instead of a table
  -h, --help           Show this help
`,Ft={...R,app:{type:"string",multiple:!0},json:{type:"boolean"}};async function dt(r,t){let e=y(r,Ft);if(e.help)return t.stdout(oe),m;let o=et(e.app),n=T(e);if(n.kind==="github"&&o===void 0)throw new u("--app",void 0,"the apps to show (with --repo the apps are not discovered; --local DIR lists them all)");let{target:s,local:i}=await A(n,t),a=i?async(p,l)=>Ye(l,await i.listFiles(p)):void 0,d=await We(s,n.branch,o,a);t.stdout(e.json?je(d):Ke(d));let c=d.apps.flatMap(p=>Object.values(p.environments).filter(l=>l.error!==void 0));for(let p of c)t.stderr(`tagrelay: ${p.error}
`);return c.length>0?D:m}var ne=`Usage: tagrelay tag --sha SHA [--format FORMAT] [--run-number N] [--branch BRANCH]
                   [--date YYYYMMDD]

Print the immutable image tag build-and-tag computes for a commit, and nothing else:
  tagrelay tag --sha 0123456789abcdef0123456789abcdef01234567   \u2192   sha-0123456789ab

Flags:
  --sha SHA           Commit SHA, 7-40 hex digits (required)
  --format FORMAT     Tag template (default: sha-{sha12}). Placeholders: {sha}, {sha7},
                      {sha12}, {run_number}, {date} (UTC YYYYMMDD), {branch} (slugged
                      to the OCI tag grammar). The result must be a valid tag, not latest.
  --run-number N      Value of {run_number}
  --branch BRANCH     Value of {branch}, e.g. feature/login \u2192 feature-login
  --date YYYYMMDD     Value of {date} (default: today, UTC)
  -h, --help          Show this help
`,Lt={sha:{type:"string"},format:{type:"string"},"run-number":{type:"string"},branch:{type:"string"},date:{type:"string"},help:{type:"boolean",short:"h"}};async function lt(r,t){let e=y(r,Lt);if(e.help)return t.stdout(ne),m;let o=we(e.format,{sha:e.sha??"",runNumber:e["run-number"],branch:e.branch,date:e.date??ye(new Date)},{inputs:{format:"--format",sha:"--sha",runNumber:"--run-number",branch:"--branch",date:"--date"}});return t.stdout(`${o}
`),m}var mt=`Usage: tagrelay <command> [flags]

Carry one immutable image tag dev \u2192 prod by committing small YAML edits
into a GitOps repository.

Commands:
  tag       Print the immutable tag build-and-tag gives a commit
  digest    Print the manifest digest a registry serves for an image tag
  bump      Set the image tag of apps in one environment's release layer
  status    Show the tag of every app in every environment
  promote   Write the tag verified in one environment into the next (dev \u2192 prod)
  reset     Give an environment the next one's release (dev takes prod's); Argo CD sync
  rollback  Take an environment back to the tag it had before
  init      Bootstrap a new app: release layers, env layers, Argo CD Applications

bump, promote, reset, rollback, status and init work on a GitOps repository, one of:
  --repo OWNER/NAME   a GitHub repository (token from GITHUB_TOKEN or GH_TOKEN;
                      GITHUB_API_URL and GITHUB_GRAPHQL_URL are honoured)
  --local DIR         a local git checkout (its checked-out branch)

Flags:
  -h, --help          Show help (tagrelay <command> --help for a command's flags)
  -v, --version       Print the version

Exit codes: 0 done (also when already at the tag), 1 failed or refused,
2 bad usage or input.
`,W={tag:{usage:ne,run:lt},digest:{usage:Q,run:rt},bump:{usage:z,run:tt},status:{usage:oe,run:dt},init:{usage:Z,run:ot},promote:{usage:ee,run:at},reset:{usage:re,run:pt},rollback:{usage:te,run:ct}};function ut(r,t){return t.filter(e=>e.length>=4).reduce((e,o)=>e.split(o).join("***"),r)}function Wt(r,t){let{values:e,positionals:o}=(()=>{try{return Yt({args:[...r],options:{help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}},strict:!0,allowPositionals:!0})}catch(s){throw H(s)??s}})();if(e.version)return t.stdout(`tagrelay ${be}
`),m;let n=o[0]===void 0?void 0:W[o[0]];if(e.help)return t.stdout(n?.usage??mt),m;throw new f(`expected a command first (${Object.keys(W).join(", ")})`)}async function Kt(r,t){let e=[];for(let a of["GITHUB_TOKEN","GH_TOKEN","REGISTRY_PASSWORD"]){let d=t.env[a]?.trim();d&&e.push(d)}let o={env:t.env,secrets:e,stdout:a=>t.stdout(ut(a,e)),stderr:a=>t.stderr(ut(a,e)),...t.stdin?{stdin:t.stdin}:{}},[n,...s]=r;if(n===void 0)return o.stderr(mt),q;let i=n.startsWith("-")?void 0:W[n];try{if(i===void 0){if(!n.startsWith("-"))throw new f(`unknown command ${_(n)}: expected ${Object.keys(W).join(" or ")}`);return Wt(r,o)}return await i.run(s,o)}catch(a){return o.stderr(`tagrelay: ${qe(a)}
`),Ve(a)?(o.stderr(`Run 'tagrelay ${i?`${n} `:""}--help' for usage.
`),q):(a instanceof Error&&a.stack&&t.env.TAGRELAY_DEBUG&&o.stderr(`${a.stack}
`),D)}}if(de(import.meta.url)){for(let r of[process.stdout,process.stderr])r.on("error",t=>{if(t.code!=="EPIPE")throw t});Kt(process.argv.slice(2),{env:process.env,stdout:r=>process.stdout.write(r),stderr:r=>process.stderr.write(r),stdin:async()=>{let r=[];for await(let t of process.stdin)r.push(t);return Buffer.concat(r).toString("utf8")}}).then(r=>{process.exitCode=r})}export{mt as USAGE,Kt as main};
