#!/usr/bin/env node
import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as te,b as re,c as pe,d as ce,f as me}from"./chunks/chunk-5KUFYMWH.js";import{a as Te,b as $e,c as Ae,d as Se}from"./chunks/chunk-YWN5A7M3.js";import{a as Ee,b as G,c as Re}from"./chunks/chunk-DMFDBQ4W.js";import{B as ge,C as P,D as A,E as I,F as x,G as he,H as N,I as D,J as H,K as fe,L as ye,M as we,N as be,a as v,b as h,c as m,d as J,e as M,j as z,k as Q,l as E,m as Z,n as ee,p as O,q as ne,s as oe,t as ie,u as se,w as ae,x as le,y as de,z as ue}from"./chunks/chunk-ZUJG3JES.js";import"./chunks/chunk-6HSY4ZO2.js";import"./chunks/chunk-EEEC4TXW.js";import{parseArgs as yt}from"node:util";var g=0,k=1,F=2,u=class extends h{name="UsageError";userMistake=!0},Ye={app:"--app",tag:"--tag",image:"--image",digest:"--digest",environment:"--env","gitops-repository":"--repo",branch:"--branch",mode:"--mode"};function We(t){let e=Ye[t]??t;return e.startsWith("--")||/^[A-Z_]+$/.test(e)?e:void 0}function ve(t){return Q(t,We)}function Oe(t){return t instanceof h&&t.userMistake}function C(t){if(!(t instanceof Error)||!(t.code??"").startsWith("ERR_PARSE_ARGS_"))return;let r=/Unknown option '([^']+)'/.exec(t.message);if(r)return new u(`unknown flag ${r[1]}`);let n=/Unexpected argument '([^']*)'/.exec(t.message);if(n)return new u(`unexpected argument ${v(n[1]??"")}`);let o=/Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(t.message);return o?new u(`${o[2]} needs a value`):new u(t.message.split(". ")[0]??t.message)}import{parseArgs as rt}from"node:util";import{mkdtemp as qe,mkdir as Ve,realpath as Ie,rm as Je,writeFile as ze}from"node:fs/promises";import{tmpdir as Qe}from"node:os";import{dirname as Ze,join as L,resolve as et,sep as tt}from"node:path";import{execFile as Ke}from"node:child_process";var b=class extends h{constructor(r,n,o){super(r);this.exitCode=n;this.stderr=o}exitCode;stderr;name="GitError"},Xe=256*1024*1024;function _(t,e,r={}){return new Promise((n,o)=>{let i={cwd:t,encoding:"buffer",maxBuffer:Xe,env:{...process.env,...r.env,GIT_TERMINAL_PROMPT:"0",GIT_PAGER:"cat",GIT_EDITOR:"true"}},s=Ke("git",[...e],i,(a,d,p)=>{let c=p.toString("utf8").trim();if(a&&typeof a.code=="string"){o(new b(a.code==="ENOENT"?"git was not found on PATH: --local needs the git command":`git: ${a.message}`,null,c));return}let l=a?typeof a.code=="number"?a.code:1:0;if(l!==0&&!(r.allow??[]).includes(l)){o(new b(`git ${e[0]??""} failed: ${c||`exit code ${l}`}`,l,c));return}n({stdout:d,stderr:c,code:l})});s.stdin?.on("error",()=>{}),s.stdin?.end(r.input??"")})}var y=t=>t.stdout.toString("utf8").trim();function Pe(t,e){let r=[],n=0;for(let o of e){let i=t.indexOf(10,n);if(i<0)throw new Error(`git cat-file --batch ended early, before ${o}`);let s=t.subarray(n,i).toString("utf8");if(n=i+1,s.endsWith(" missing")||s.endsWith(" ambiguous")){r.push(null);continue}let a=/^[0-9a-f]+ (\S+) (\d+)$/.exec(s);if(!a)throw new Error(`unexpected git cat-file --batch header for ${o}: ${s}`);let[,d,p]=a,c=t.subarray(n,n+Number(p));n+=Number(p)+1,r.push(d==="blob"?Buffer.from(c):{type:d})}return r}var xe={name:"tagrelay",email:"tagrelay@users.noreply.github.com"},j=class extends h{constructor(r,n){super(`${n.join(", ")} ${n.length===1?"has":"have"} uncommitted changes in ${r}: commit or stash them first (tagrelay only commits files that match the branch head)`);this.directory=r;this.paths=n}directory;paths;name="DirtyWorkTreeError"},U=class t{constructor(e){this.directory=e;this.description=e}directory;description;static async open(e){let r=et(e),n;try{n=await Ie(r)}catch{throw new m("--local",e,"an existing directory: the top of a git work tree (a checkout of the GitOps repository)")}let o;try{if(y(await _(n,["rev-parse","--is-inside-work-tree"]))!=="true")throw new Error("not a work tree");o=y(await _(n,["rev-parse","--show-toplevel"]))}catch(s){if(s instanceof b&&s.exitCode===null)throw s;let a=s instanceof b&&s.stderr?` (git says: ${s.stderr.split(`
`)[0]})`:"";throw new m("--local",e,`the top of a git work tree (a checkout of the GitOps repository); ${r} is not a git work tree${a}`)}let i=await Ie(o);if(i!==n)throw new m("--local",e,`the top of a git work tree; ${r} is inside the work tree ${i}, whose paths would not match the GitOps layout`);return new t(n)}git(e,r){return _(this.directory,e,r)}async currentBranch(){let e=await this.git(["symbolic-ref","--quiet","--short","HEAD"],{allow:[1]}),r=y(e);if(e.code!==0||r==="")throw new m("--local",this.directory,"a work tree with a branch checked out (HEAD is detached): git switch <branch> first");return r}async checkBranch(e){let r=await this.currentBranch();if(e!==void 0&&e!==r)throw new m("--branch",e,`the branch checked out in ${this.directory} ("${r}"): with --local only the checked-out branch is read and committed to; git switch ${e} first, or leave --branch out`);return r}async headOf(e){let r=await this.git(["rev-parse","--quiet","--verify",`refs/heads/${e}^{commit}`],{allow:[1]}),n=y(r);if(r.code!==0||n==="")throw new m("--local",this.directory,`a work tree whose branch "${e}" has at least one commit`);return n}async read(e,r){let n=await this.checkBranch(e),o=await this.headOf(n);return{branch:n,headOid:o,files:await this.readAt(o,r)}}async readAt(e,r){let n=new Map;if(r.length===0)return n;let o=r.map(s=>`${e}:${s}`),i=await this.git(["cat-file","--batch"],{input:o.map(s=>`${s}
`).join("")});return Pe(i.stdout,o).forEach((s,a)=>{let d=r[a];if(s!==null&&!Buffer.isBuffer(s))throw new J(d,`is a ${s.type} in ${this.directory}, not a file`);n.set(d,s===null?null:s.toString("utf8"))}),n}async remoteUrl(e="origin"){let r=await this.git(["remote","get-url",e],{allow:[2,128]}),n=y(r);return r.code===0&&n!==""?n:void 0}async listFiles(e){return(await this.git(["ls-tree","-r","-z","--name-only",e])).stdout.toString("utf8").split("\0").filter(n=>n!=="")}async dirtyPaths(e){let n=(await this.git(["status","--porcelain=v1","-z","--untracked-files=all","--",...e.map(i=>`:(literal)${i}`)])).stdout.toString("utf8").split("\0"),o=[];for(let i=0;i<n.length;i++){let s=n[i];s.length<4||(o.push(s.slice(3)),(s[0]==="R"||s[0]==="C")&&i++)}return o}async identityArgs(){let e=[];for(let[r,n]of[["user.name",xe.name],["user.email",xe.email]]){let o=await this.git(["config","--get",r],{allow:[1]});(o.code!==0||y(o)==="")&&e.push("-c",`${r}=${n}`)}return e}async commit(e){let r=await this.checkBranch(e.branch),n=await this.headOf(r);if(n!==e.expectedHeadOid)throw new M(`${r} of ${this.directory} moved from ${e.expectedHeadOid} to ${n}`);let o=e.files.map(p=>p.path);for(let p of o)if(p===""||p.startsWith("/")||p.split("/").some(c=>c===".."||c==="."||c===""||c===".git"))throw new h(`refusing to write ${JSON.stringify(p)}: not a plain path inside the repository`);let i=await this.dirtyPaths(o);if(i.length>0)throw new j(this.directory,i);let s=await qe(L(Qe(),"tagrelay-index-")),a;try{let p={GIT_INDEX_FILE:L(s,"index")};await this.git(["read-tree",n],{env:p});let c=await this.modes(n,o);for(let S of e.files){let je=y(await this.git(["hash-object","-w","--stdin",`--path=${S.path}`],{input:Buffer.from(S.content,"utf8")}));await this.git(["update-index","--add","--cacheinfo",`${c.get(S.path)??"100644"},${je},${S.path}`],{env:p})}let l=y(await this.git(["write-tree"],{env:p})),f=await this.identityArgs();a=y(await this.git([...f,"commit-tree",l,"-p",n,"-F","-"],{input:ue(e.message)}))}finally{await Je(s,{recursive:!0,force:!0})}let d=await this.git(["update-ref","-m",`commit: ${e.message.headline}`,`refs/heads/${r}`,a,n],{allow:[1,128]});if(d.code!==0)throw await this.headOf(r).catch(()=>{})!==n?new M(`${r} of ${this.directory} moved while committing`):new b(`git update-ref failed: ${d.stderr}`,d.code,d.stderr);for(let p of e.files){let c=L(this.directory,...p.path.split("/"));if(!c.startsWith(this.directory+tt))throw new h(`refusing to write outside ${this.directory}: ${p.path}`);await Ve(Ze(c),{recursive:!0}),await ze(c,p.content,"utf8")}return await this.stage(o,a),{oid:a}}async stage(e,r){let n=["add","--",...e.map(o=>`:(literal)${o}`)];for(let o=1;;o++)try{await this.git(n);return}catch(i){if(!(i instanceof b&&/index\.lock/.test(i.stderr))||o>=100){let a=i instanceof Error?i.message:String(i);throw new h(`committed ${r}, but could not update the index of ${this.directory} for ${e.join(", ")} (${a}); run: git -C ${this.directory} add -- ${e.join(" ")}`)}await new Promise(a=>setTimeout(a,10+Math.random()*40))}}async modes(e,r){let n=await this.git(["ls-tree","-z",e,"--",...r.map(i=>`:(literal)${i}`)]),o=new Map;for(let i of n.stdout.toString("utf8").split("\0")){let s=/^(\d+) blob [0-9a-f]+\t(.*)$/s.exec(i);s&&o.set(s[2],s[1])}return o}};var R={repo:{type:"string"},branch:{type:"string"},local:{type:"string"},help:{type:"boolean",short:"h"}};function w(t,e){try{return rt({args:t,options:e,strict:!0,allowPositionals:!1}).values}catch(r){throw C(r)??r}}function T(t){if(t.repo!==void 0&&t.local!==void 0)throw new u("give either --repo OWNER/NAME or --local DIR, not both");let e=t.branch===void 0?void 0:se(t.branch,"--branch");if(t.local!==void 0){if(t.local==="")throw new m("--local",void 0,"the directory of a git checkout");return{kind:"local",dir:t.local,branch:e}}if(t.repo===void 0)throw new u("say where the GitOps repository is: --repo OWNER/NAME (GitHub) or --local DIR (a git checkout)");return{kind:"github",repository:ie(t.repo,"--repo"),branch:e}}function Ne(t){return t===void 0?void 0:oe(t.join(","),"--app")}function nt(t){let e=(t.GITHUB_TOKEN||t.GH_TOKEN||"").trim();if(e==="")throw new m("GITHUB_TOKEN",void 0,"a GitHub token in GITHUB_TOKEN (or GH_TOKEN) with contents: write on the repository (for example GITHUB_TOKEN=$(gh auth token))");return e}async function $(t,e){if(t.kind==="local"){let i=await U.open(t.dir);return{target:i,local:i}}let r=nt(e.env);e.secrets.push(r);let n=E(e.env),o=Re(t.repository,{token:r,apiUrl:n.apiUrl,graphqlUrl:n.graphqlUrl,log:{debug:()=>{},info:i=>e.stderr(`${i}
`),warning:i=>e.stderr(`warning: ${i}
`)}});return{target:o,github:o}}var Y=`Usage: tagrelay bump --app APP[,APP...] --tag TAG
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
`,ot={...R,app:{type:"string",multiple:!0},tag:{type:"string"},image:{type:"string"},digest:{type:"string"},env:{type:"string"},mode:{type:"string"},"dry-run":{type:"boolean"}};function it(t){let e=t.changeSet.apps.map(fe);return t.changeSet.files.length===0?e.push("nothing to commit"):t.dryRun?e.push(t.diff.trimEnd(),"dry run: nothing committed"):t.commit&&e.push(`committed ${t.commit.oid}${t.commit.url?` ${t.commit.url}`:""}`),t.pullRequest&&(e.push(`pull request #${t.pullRequest.number} ${t.pullRequest.url} (branch ${t.pullRequest.branch})`),t.pullRequest.autoMerge!=="enabled"&&e.push(`auto-merge not enabled: ${t.pullRequest.autoMerge}`)),t.attempts>1&&e.push(`(the branch moved meanwhile: committed on attempt ${t.attempts})`),`${e.join(`
`)}
`}async function Ge(t,e){let r=w(t,ot);if(r.help)return e.stdout(Y),g;let n=Ee({app:(r.app??[]).join(","),tag:r.tag??"",image:r.image,digest:r.digest,environment:r.env},{sourceCommit:Z(E(e.env))}),o=r.mode??"direct";if(o!=="direct"&&o!=="pull-request")throw new m("--mode",r.mode,"direct or pull-request");let i=T(r);if(i.kind==="local"&&o==="pull-request")throw new m("--mode",o,"direct: pull requests need --repo (a local checkout gets a commit)");let{target:s,github:a}=await $(i,e),d=await G(s,{paths:ye(n.env,n.apps,P),plan:p=>be(n,p)},{branch:i.branch,mode:o,dryRun:r["dry-run"]??!1,engine:{log:p=>e.stderr(`${p}
`)}},a);return e.stdout(it(d)),g}var W=`Usage: tagrelay digest --image REPOSITORY --tag TAG
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
`,st={image:{type:"string"},tag:{type:"string"},username:{type:"string"},"password-stdin":{type:"boolean"},insecure:{type:"boolean"},help:{type:"boolean",short:"h"}};async function at(t,e){if(t["password-stdin"]){if(!t.username)throw new u("--password-stdin needs --username");if(!e.stdin)throw new u("--password-stdin: no standard input to read");let o=(await e.stdin()).replace(/\r?\n$/,"");if(o==="")throw new m("--password-stdin",void 0,"a password or token on stdin");return e.secrets.push(o),{username:t.username,password:o}}if(t.username!==void 0)throw new u("--username needs --password-stdin");let r=e.env.REGISTRY_USERNAME?.trim()??"",n=e.env.REGISTRY_PASSWORD??"";if(!(r===""&&n==="")){if(r==="")throw new m("REGISTRY_USERNAME",void 0,"the user REGISTRY_PASSWORD belongs to");if(n==="")throw new m("REGISTRY_PASSWORD",void 0,`the password or token of ${r}`);return{username:r,password:n}}}async function ke(t,e){let r=w(t,st);if(r.help)return e.stdout(W),g;let n=te(r.image??"","--image"),o=O(r.tag??"",{input:"--tag",denied:[]}),i=new me(n,{credentials:await at(r,e),insecure:r.insecure??!1,userAgent:de});try{let s={...n,tag:o},a=await i.lookup(s);if(!a.found)throw new z(`${re(s)} does not exist in registry ${n.registry} (${a.reason})`);return e.stdout(`${a.digest}
`),g}finally{await i.close()}}function Ce(t,e){let r=t.environments.map(n=>N(t,n,e));return[`the site itself: its code (apps/${e}, e.g. from the Payload website template) and the CI that builds it and calls the release workflow`,`the Secrets for ${r.join(", ")} (SOPS in the platform repository): ${r.map(n=>`${n}-env, ${n}-db`).join("; ")}`,`DNS for ${t.environments.map(n=>D(t,n,e)).join(", ")}`,`Argo CD picking up ${t.environments.map(n=>x(t,n,e)).join(", ")} (an app-of-apps, or kubectl apply once)`]}function pt(t,e,r){return[`# Release layer for ${t} in ${e}: which image runs, nothing else.`,"# Written by tagrelay (bump, promote, reset, rollback); edit by hand only to fix a release.","image:",`  repository: ${r.image}`,`  tag: ${r.tag} # immutable; never \`latest\``,""].join(`
`)}function ct(t,e,r){let n=D(t,r,e),o=N(t,r,e),i=r===H(t);return[`# Env layer for ${e} in ${r}: hosts, environment, resources, secret references.`,"# Maintained by people; tagrelay never writes here after init. No secret values in this file.","ingress:","  enabled: true","  className: nginx","  annotations:","    cert-manager.io/cluster-issuer: letsencrypt-http","  hosts:",`    - ${n}`,"  tls:",`    secretName: ${n.replaceAll(".","-")}-tls`,"","env:","  - name: SYNESTRA_ENV",`    value: ${r}`,"  - name: NEXT_PUBLIC_SITE_URL",`    value: https://${n}`,"","envFrom:","  - secretRef:",`      name: ${o}-env`,"  - secretRef:",`      name: ${o}-db`,"","resources:","  requests:",`    cpu: ${i?"100m":"250m"}`,`    memory: ${i?"256Mi":"512Mi"}`,"  limits:",`    memory: ${i?"512Mi":"1Gi"}`,"","features:",`  previewMode: ${i}`,"",`replicaCount: ${i?1:2}`,""].join(`
`)}function lt(t,e){let r=t.split("/").slice(0,-1),n=e.split("/"),o=0;for(;o<r.length&&r[o]===n[o];)o++;return[...r.slice(o).map(()=>".."),...n.slice(o)].join("/")}function dt(t,e,r,n,o){let i=t.argocd.chart,s=[A(t,r,e),I(t,r,e)].map(d=>lt(`${i}/Chart.yaml`,d)),a=r!==H(t);return[`# Argo CD Application for ${e} in ${r}. Loads the release layer (written by tagrelay)`,"# and the env layer (written by people), in that order, on top of the shared chart.","apiVersion: argoproj.io/v1alpha1","kind: Application","metadata:",`  name: ${he(t,r,e)}`,"  namespace: argocd","  labels:",`    synestra.io/app: ${e}`,`    synestra.io/env: ${r}`,"  finalizers:","    - resources-finalizer.argocd.argoproj.io","spec:",`  project: ${t.argocd.project}`,"  source:",`    repoURL: ${n.repoURL}`,`    targetRevision: ${o}`,`    path: ${i}`,"    helm:",`      releaseName: ${e}`,"      valueFiles:",...s.map(d=>`        - ${d}`),"  destination:","    server: https://kubernetes.default.svc",`    namespace: ${N(t,r,e)}`,"  syncPolicy:","    automated:","      prune: true",a?"      selfHeal: true # GitOps-strict: drift is reverted.":`      selfHeal: false # ${r} tolerates drift (hot development patches the workload), so no self-heal.`,"    syncOptions:","      - CreateNamespace=true",""].join(`
`)}function mt(t,e,r){return t.environments.flatMap(n=>[{path:A(t,n,e.app),content:pt(e.app,n,e)},{path:I(t,n,e.app),content:ct(t,e.app,n)},{path:x(t,n,e.app),content:dt(t,e.app,n,e,r)}])}function _e(t,e){return[ge,...t.environments.flatMap(r=>[A(t,r,e),I(t,r,e),x(t,r,e)])]}var K=class extends h{constructor(r,n){super(`App "${r}" is already (partly) bootstrapped: ${n.join(", ")} ${n.length===1?"exists":"exist"}; init writes only into an empty place and changed nothing`);this.app=r;this.existing=n}app;existing;name="AlreadyBootstrappedError"};function Ue(t,e,r){let n=we(r);if("need"in n)return{kind:"need-files",paths:[n.need]};let o=mt(n,t,e),i=o.map(l=>l.path).filter(l=>!r.has(l));if(i.length>0)return{kind:"need-files",paths:i};let s=o.map(l=>l.path).filter(l=>r.get(l)!==null);if(s.length>0)throw new K(t.app,s);let a=o.map(({path:l,content:f})=>({path:l,before:"",after:f})),d=n.environments.join(", "),p={headline:`init: ${t.app} in ${d} at ${t.tag}`,body:[...a.map(l=>`- ${l.path}`),"",`Release-App: ${t.app}`,...n.environments.map(l=>`Release-Env: ${l}`),`Release-Tag: ${t.tag}`,""].join(`
`)},c={env:n.environments.join(","),tag:t.tag,apps:n.environments.map(l=>({app:t.app,env:l,path:A(n,l,t.app),previous:{},next:{repository:t.image,tag:t.tag},tag:t.tag,changed:!0})),files:a,message:p};return{kind:"ready",layout:n,changeSet:c}}function Be(t,e){return{paths:_e(P,t.app),plan:r=>Ue(t,e??"HEAD",r)}}var X=`Usage: tagrelay init --app APP --image REPOSITORY --tag TAG
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
`,ut={...R,app:{type:"string"},image:{type:"string"},tag:{type:"string"},"repo-url":{type:"string"},"dry-run":{type:"boolean"}};function gt(t){if(!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(t))throw new m("--repo-url",t,"a clone URL such as https://github.com/synestra/gitops.git");return t}async function Me(t,e){let r=w(t,ut);if(r.help)return e.stdout(X),g;let n=ne(r.app??"","--app"),o=ae(r.image??"","--image"),i=O(r.tag??"",{input:"--tag"}),s=T(r),{target:a,local:d}=await $(s,e),p=r["repo-url"]===void 0?void 0:gt(r["repo-url"]);if(p===void 0&&s.kind==="github"){let{serverUrl:f}=E(e.env);p=`${f}/${s.repository.owner}/${s.repository.name}.git`}if(p??=await d?.remoteUrl(),p===void 0)throw new u(`${s.kind==="local"?s.dir:"the checkout"} has no origin remote: give --repo-url URL`);let c=await G(a,Be({app:n,image:o,tag:i,repoURL:p},s.branch),{branch:s.branch,mode:"direct",dryRun:r["dry-run"]??!1,engine:{log:f=>e.stderr(`${f}
`)}}),l=c.changeSet.files.map(f=>`created ${f.path}`);c.dryRun?l.push(c.diff.trimEnd(),"dry run: nothing committed"):c.commit&&l.push(`committed ${c.commit.oid}${c.commit.url?` ${c.commit.url}`:""}`),l.push("","Not done by tagrelay (the rest of the bootstrap):");for(let f of Ce(c.layout,n))l.push(`  - ${f}`);return e.stdout(`${l.join(`
`)}
`),g}var q=`Usage: tagrelay status (--repo OWNER/NAME [--branch BRANCH] --app APP[,APP...]
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
`,ht={...R,app:{type:"string",multiple:!0},json:{type:"boolean"}};async function De(t,e){let r=w(t,ht);if(r.help)return e.stdout(q),g;let n=Ne(r.app),o=T(r);if(o.kind==="github"&&n===void 0)throw new m("--app",void 0,"the apps to show (with --repo the apps are not discovered; --local DIR lists them all)");let{target:i,local:s}=await $(o,e),a=s?async(c,l)=>Te(l,await s.listFiles(c)):void 0,d=await $e(i,o.branch,n,a);e.stdout(r.json?Se(d):Ae(d));let p=d.apps.flatMap(c=>Object.values(c.environments).filter(l=>l.error!==void 0));for(let c of p)e.stderr(`tagrelay: ${c.error}
`);return p.length>0?k:g}var V=`Usage: tagrelay tag --sha SHA [--format FORMAT] [--run-number N] [--branch BRANCH]
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
`,ft={sha:{type:"string"},format:{type:"string"},"run-number":{type:"string"},branch:{type:"string"},date:{type:"string"},help:{type:"boolean",short:"h"}};async function He(t,e){let r=w(t,ft);if(r.help)return e.stdout(V),g;let n=ce(r.format,{sha:r.sha??"",runNumber:r["run-number"],branch:r.branch,date:r.date??pe(new Date)},{inputs:{format:"--format",sha:"--sha",runNumber:"--run-number",branch:"--branch",date:"--date"}});return e.stdout(`${n}
`),g}var Le=`Usage: tagrelay <command> [flags]

Carry one immutable image tag dev \u2192 prod by committing small YAML edits
into a GitOps repository.

Commands:
  tag       Print the immutable tag build-and-tag gives a commit
  digest    Print the manifest digest a registry serves for an image tag
  bump      Set the image tag of apps in one environment's release layer
  status    Show the tag of every app in every environment
  init      Bootstrap a new app: release layers, env layers, Argo CD Applications

bump, status and init work on a GitOps repository, one of:
  --repo OWNER/NAME   a GitHub repository (token from GITHUB_TOKEN or GH_TOKEN;
                      GITHUB_API_URL and GITHUB_GRAPHQL_URL are honoured)
  --local DIR         a local git checkout (its checked-out branch)

Flags:
  -h, --help          Show help (tagrelay <command> --help for a command's flags)
  -v, --version       Print the version

Exit codes: 0 done (also when already at the tag), 1 failed or refused,
2 bad usage or input.
`,B={tag:{usage:V,run:He},digest:{usage:W,run:ke},bump:{usage:Y,run:Ge},status:{usage:q,run:De},init:{usage:X,run:Me}};function Fe(t,e){return e.filter(r=>r.length>=4).reduce((r,n)=>r.split(n).join("***"),t)}function wt(t,e){let{values:r,positionals:n}=(()=>{try{return yt({args:[...t],options:{help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}},strict:!0,allowPositionals:!0})}catch(i){throw C(i)??i}})();if(r.version)return e.stdout(`tagrelay ${le}
`),g;let o=n[0]===void 0?void 0:B[n[0]];if(r.help)return e.stdout(o?.usage??Le),g;throw new u(`expected a command first (${Object.keys(B).join(", ")})`)}async function bt(t,e){let r=[];for(let a of["GITHUB_TOKEN","GH_TOKEN","REGISTRY_PASSWORD"]){let d=e.env[a]?.trim();d&&r.push(d)}let n={env:e.env,secrets:r,stdout:a=>e.stdout(Fe(a,r)),stderr:a=>e.stderr(Fe(a,r)),...e.stdin?{stdin:e.stdin}:{}},[o,...i]=t;if(o===void 0)return n.stderr(Le),F;let s=o.startsWith("-")?void 0:B[o];try{if(s===void 0){if(!o.startsWith("-"))throw new u(`unknown command ${v(o)}: expected ${Object.keys(B).join(" or ")}`);return wt(t,n)}return await s.run(i,n)}catch(a){return n.stderr(`tagrelay: ${ve(a)}
`),Oe(a)?(n.stderr(`Run 'tagrelay ${s?`${o} `:""}--help' for usage.
`),F):(a instanceof Error&&a.stack&&e.env.TAGRELAY_DEBUG&&n.stderr(`${a.stack}
`),k)}}if(ee(import.meta.url)){for(let t of[process.stdout,process.stderr])t.on("error",e=>{if(e.code!=="EPIPE")throw e});bt(process.argv.slice(2),{env:process.env,stdout:t=>process.stdout.write(t),stderr:t=>process.stderr.write(t),stdin:async()=>{let t=[];for await(let e of process.stdin)t.push(e);return Buffer.concat(t).toString("utf8")}}).then(t=>{process.exitCode=t})}export{Le as USAGE,bt as main};
