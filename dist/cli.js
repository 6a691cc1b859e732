#!/usr/bin/env node
import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as Q,b as z}from"./chunks/chunk-SLPNFWE4.js";import{a as me,b as ue,c as ge,d as he,e as fe,f as ye,g as Re,h as Ae,i as be,j as Te}from"./chunks/chunk-3SUK4YNR.js";import{a as se}from"./chunks/chunk-5STHJ722.js";import{b as ie,c as U,e as pe,f as de,g as ce}from"./chunks/chunk-RYPOCDPF.js";import{a as j,b as V,d as ee}from"./chunks/chunk-IOEH5V4E.js";import{a as w}from"./chunks/chunk-WHJODS35.js";import{a as F}from"./chunks/chunk-N2OUTSLR.js";import{a as i,b as N,c as D,d as h,e as we,f as ve,g as Oe,l as y,m as g,n as E,o as Se,q as R,r as Ie}from"./chunks/chunk-AOHFJL7U.js";import{a as le,j as Ee}from"./chunks/chunk-ZHMMMVNH.js";import"./chunks/chunk-KXRJQ7GI.js";import"./chunks/chunk-VVZFQOJN.js";import{F as te,J as re,Q as oe,R as ne,T as ae,a as L,c as u,l as W,n as A,o as b,q as I,r as X,s as T,t as O,x as J,y as Z,z as P}from"./chunks/chunk-B4YTE5DE.js";import"./chunks/chunk-AJKFN26V.js";import"./chunks/chunk-EEEC4TXW.js";import{parseArgs as et}from"node:util";var M=`Usage: tagrelay bump --app APP[,APP...] --tag TAG
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
`,qe={...y,app:{type:"string",multiple:!0},tag:{type:"string"},image:{type:"string"},digest:{type:"string"},env:{type:"string"},mode:{type:"string"},"dry-run":{type:"boolean"}};function S(r){let t=r.changeSet.apps.map(oe);return r.changeSet.files.length===0?t.push("nothing to commit"):r.dryRun?t.push(r.diff.trimEnd(),"dry run: nothing committed"):r.commit&&t.push(`committed ${r.commit.oid}${r.commit.url?` ${r.commit.url}`:""}`),r.pullRequest&&(t.push(`pull request #${r.pullRequest.number} ${r.pullRequest.url} (branch ${r.pullRequest.branch})`),r.pullRequest.autoMerge!=="enabled"&&t.push(`auto-merge not enabled: ${r.pullRequest.autoMerge}`)),r.attempts>1&&t.push(`(the branch moved meanwhile: committed on attempt ${r.attempts})`),`${t.join(`
`)}
`}async function Pe(r,t){let e=g(r,qe);if(e.help)return t.stdout(M),i;let o=se({app:(e.app??[]).join(","),tag:e.tag??"",image:e.image,digest:e.digest,environment:e.env},{sourceCommit:b(A(t.env))}),n=e.mode??"direct";if(n!=="direct"&&n!=="pull-request")throw new u("--mode",e.mode,"direct or pull-request");let p=E(e);if(p.kind==="local"&&n==="pull-request")throw new u("--mode",n,"direct: pull requests need --repo (a local checkout gets a commit)");let{target:s,github:a}=await R(p,t),c=await w(s,{paths:ne(o.env,o.apps,te),plan:d=>ae(o,d)},{branch:p.branch,mode:n,dryRun:e["dry-run"]??!1,engine:{log:d=>t.stderr(`${d}
`)}},a);return t.stdout(S(c)),i}var k={username:{type:"string"},"password-stdin":{type:"boolean"}};async function G(r,t){if(r["password-stdin"]){if(!r.username)throw new h("--password-stdin needs --username");if(!t.stdin)throw new h("--password-stdin: no standard input to read");let n=(await t.stdin()).replace(/\r?\n$/,"");if(n==="")throw new u("--password-stdin",void 0,"a password or token on stdin");return t.secrets.push(n),{username:r.username,password:n}}if(r.username!==void 0)throw new h("--username needs --password-stdin");let e=t.env.REGISTRY_USERNAME?.trim()??"",o=t.env.REGISTRY_PASSWORD??"";if(!(e===""&&o==="")){if(e==="")throw new u("REGISTRY_USERNAME",void 0,"the user REGISTRY_PASSWORD belongs to");if(o==="")throw new u("REGISTRY_PASSWORD",void 0,`the password or token of ${e}`);return{username:e,password:o}}}var $=`Usage: tagrelay digest --image REPOSITORY --tag TAG
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
`,Ke={image:{type:"string"},tag:{type:"string"},...k,insecure:{type:"boolean"},help:{type:"boolean",short:"h"}};async function Ne(r,t){let e=g(r,Ke);if(e.help)return t.stdout($),i;let o=j(e.image??"","--image"),n=I(e.tag??"",{input:"--tag",denied:[]}),p=new ee(o,{credentials:await G(e,t),insecure:e.insecure??!1,userAgent:P});try{let s={...o,tag:n},a=await p.lookup(s);if(!a.found)throw new W(`${V(s)} does not exist in registry ${o.registry} (${a.reason})`);return t.stdout(`${a.digest}
`),i}finally{await p.close()}}var H=`Usage: tagrelay init --app APP --image REPOSITORY --tag TAG
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
`,Le={...y,app:{type:"string"},image:{type:"string"},tag:{type:"string"},"repo-url":{type:"string"},"dry-run":{type:"boolean"}};function We(r){if(!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(r))throw new u("--repo-url",r,"a clone URL such as https://github.com/synestra/gitops.git");return r}async function ke(r,t){let e=g(r,Le);if(e.help)return t.stdout(H),i;let o=X(e.app??"","--app"),n=J(e.image??"","--image"),p=I(e.tag??"",{input:"--tag"}),s=E(e),{target:a,local:c}=await R(s,t),d=e["repo-url"]===void 0?void 0:We(e["repo-url"]);if(d===void 0&&s.kind==="github"){let{serverUrl:f}=A(t.env);d=`${f}/${s.repository.owner}/${s.repository.name}.git`}if(d??=await c?.gitValue("remote","get-url","origin"),d===void 0)throw new h(`${s.kind==="local"?s.dir:"the checkout"} has no origin remote: give --repo-url URL`);let l=await w(a,ue({app:o,image:n,tag:p,repoURL:d},s.branch),{branch:s.branch,mode:"direct",dryRun:e["dry-run"]??!1,engine:{log:f=>t.stderr(`${f}
`)}}),m=l.changeSet.files.map(f=>`created ${f.path}`);l.dryRun?m.push(l.diff.trimEnd(),"dry run: nothing committed"):l.commit&&m.push(`committed ${l.commit.oid}${l.commit.url?` ${l.commit.url}`:""}`),m.push("","Not done by tagrelay (the rest of the bootstrap):");for(let f of me(l.layout,o))m.push(`  - ${f}`);return t.stdout(`${m.join(`
`)}
`),i}var x=`Usage: tagrelay promote --app APP[,APP...] [--tag TAG] [--from ENV] [--to ENV]
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
`,B=`Usage: tagrelay rollback --app APP [--env ENV] [--tag TAG]
                        (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                        [--force] [--dry-run]

Take an environment (default: the last of the chain) back to the tag it had before
its current one, or to --tag: a tag it had before, or one verified in the environment
before it. The commit carries Rollback-Of: a later promotion of the rolled-back tag is
refused unless forced.
`,Fe={...y,...k,app:{type:"string",multiple:!0},tag:{type:"string"},from:{type:"string"},to:{type:"string"},mode:{type:"string"},force:{type:"boolean"},"check-digest":{type:"boolean"},"dry-run":{type:"boolean"}},je={...y,app:{type:"string"},env:{type:"string"},tag:{type:"string"},mode:{type:"string"},force:{type:"boolean"},"dry-run":{type:"boolean"}};function Ge(r,t){let e=r??"direct";if(e!=="direct"&&e!=="pull-request")throw new u("--mode",r,"direct or pull-request");if(t&&e==="pull-request")throw new u("--mode",e,"direct: pull requests need --repo (a local checkout gets a commit)");return e}async function Ce(r,t,e){return{force:r.force??!1,forcedBy:r.force?await Ve(t,e):void 0,sourceCommit:b(A(t.env))}}function _e(r,t,e,o){return{branch:t,mode:e,dryRun:o??!1,engine:{log:n=>r.stderr(`${n}
`)}}}async function Ve(r,t){return r.env.GITHUB_ACTOR||await t.local?.gitValue("config","--get","user.name")||r.env.USER||"unknown"}function Ue(r,t,e){let o=S(t).split(`
`).slice(t.changeSet.apps.length).join(`
`);r.stdout(`${[...e,o.trimEnd()].filter(n=>n!=="").join(`
`)}
`)}async function De(r,t){let e=g(r,Fe);if(e.help)return t.stdout(x),i;let o=O((e.app??[]).join(","),"--app"),n=E(e),p=Ge(e.mode,n.kind==="local");e.to!==void 0&&T(e.to,"--to"),e.from!==void 0&&T(e.from,"--from");let s=e["check-digest"]?await G(e,t):void 0,a=await R(n,t),c=e["check-digest"]?ce({credentials:s,userAgent:P}):void 0;try{let d=await pe(a.target,{apps:o,to:e.to,from:e.from,tag:e.tag,...await Ce(e,t,a)},{..._e(t,n.branch,p,e["dry-run"]),digestOf:c?.digestOf},a.github),l=new Map(d.changeSet.apps.map(m=>[m.app,m.previous.tag]));return Ue(t,d,d.verdicts.map(m=>U(m,l.get(m.app)))),i}catch(d){if(d instanceof ie)for(let l of d.verdicts)t.stderr(`${U(l)}
`);throw d}finally{await c?.close()}}async function Me(r,t){let e=g(r,je);if(e.help)return t.stdout(B),i;let[o]=O(e.app??"","--app"),n=E(e),p=Ge(e.mode,n.kind==="local"),s=await R(n,t),a=await de(s.target,{app:o,env:e.env===void 0?void 0:T(e.env,"--env"),tag:e.tag,...await Ce(e,t,s)},_e(t,n.branch,p,e["dry-run"]),s.github);return Ue(t,a,a.changeSet.apps.map(c=>`${c.app}: ${c.previous.tag??"(none)"} \u2192 ${c.tag} (rollback)`)),i}var Y=`Usage: tagrelay reset --app APP[,APP...] [--env ENV]
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
`,Xe={...y,app:{type:"string",multiple:!0},env:{type:"string"},"argocd-server":{type:"string"},"argocd-token-stdin":{type:"boolean"},drift:{type:"boolean"},timeout:{type:"string"},"dry-run":{type:"boolean"}};async function Je(r,t){let e=t.env.ARGOCD_AUTH_TOKEN?.trim()??"";if(r["argocd-token-stdin"]){if(!t.stdin)throw new h("--argocd-token-stdin: no standard input to read");e=(await t.stdin()).trim()}if(e==="")throw new u("ARGOCD_AUTH_TOKEN",void 0,"an Argo CD API token (or --argocd-token-stdin)");return t.secrets.push(e),e}function Qe(r){if(!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(r))throw new u("--argocd-server",r,"the http(s) address of Argo CD, e.g. https://argocd.example.com");return r}async function $e(r,t){let e=g(r,Xe);if(e.help)return t.stdout(Y),i;let o=O((e.app??[]).join(","),"--app"),n=T(e.env??"dev","--env"),p=le(e.timeout??"5m","--timeout",{minMs:1e3});if((e.drift||e["argocd-token-stdin"])&&e["argocd-server"]===void 0)throw new h("--drift and --argocd-token-stdin need --argocd-server");let s=e["argocd-server"]===void 0?void 0:Qe(e["argocd-server"]),a=s===void 0?void 0:await Je(e,t),c=E(e),d=await R(c,t),l=v=>t.stderr(`${v}
`),m=await w(d.target,ge({env:n,apps:o,sourceCommit:b(A(t.env))}),{branch:c.branch,mode:"direct",dryRun:e["dry-run"]??!1,engine:{log:l}});if(t.stdout(S(m)),s===void 0||a===void 0||m.dryRun)return i;let f=new Ee({server:s,token:a,requestTimeoutMs:1e4});try{for(let v of m.changeSet.apps){let _=re(m.layout,n,v.app);e.drift&&await ye(f,_,{timeoutMs:p,log:l}),await he(f,_,fe(v.tag,m.commit?.oid),{timeoutMs:p,log:l}),t.stdout(`${_}: runs ${v.tag}${e.drift?", drift undone":""}
`)}}finally{await f.close()}return i}var q=`Usage: tagrelay status (--repo OWNER/NAME [--branch BRANCH] | --local DIR)
                       [--app APP[,APP...]] [--json]

Show the image tag of each app in every environment of the layout's chain
(dev, prod unless deploy/tagrelay.yaml says otherwise), read at one commit, with the commit that set each tag and whether it was verified.
Apps whose tag differs from the next environment's are marked "dev ahead of prod".

Flags:
  --app APP[,APP...]   Apps to show (default: every app that has a release file)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to read (default: the repository's default branch;
                       with --local only the checked-out branch)
  --local DIR          Read a local git checkout (its checked-out branch's head commit)
  --json               Print JSON instead of a table
  -h, --help           Show this help
`,ze={...y,app:{type:"string",multiple:!0},json:{type:"boolean"}};async function He(r,t){let e=g(r,ze);if(e.help)return t.stdout(q),i;let o=Se(e.app),n=E(e),{target:p}=await R(n,t),s=await Re(p,n.branch,o,Ae(p));t.stdout(e.json?Te(s):be(s));let a=s.apps.flatMap(c=>Object.values(c.environments).filter(d=>d.error!==void 0));for(let c of a)t.stderr(`tagrelay: ${c.error}
`);return a.length>0?N:i}var K=`Usage: tagrelay tag --sha SHA [--format FORMAT] [--run-number N] [--branch BRANCH]
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
`,Ze={sha:{type:"string"},format:{type:"string"},"run-number":{type:"string"},branch:{type:"string"},date:{type:"string"},help:{type:"boolean",short:"h"}};async function xe(r,t){let e=g(r,Ze);if(e.help)return t.stdout(K),i;let o=z(e.format,{sha:e.sha??"",runNumber:e["run-number"],branch:e.branch,date:e.date??Q(new Date)},{inputs:{format:"--format",sha:"--sha",runNumber:"--run-number",branch:"--branch",date:"--date"}});return t.stdout(`${o}
`),i}var Ye=`Usage: tagrelay <command> [flags]

Carry one immutable image tag dev \u2192 prod by committing small YAML edits
into a GitOps repository.

Commands:
  tag       Print the immutable tag build-and-tag gives a commit
  digest    Print the manifest digest a registry serves for an image tag
  bump      Set the image tag of apps in one environment's release layer
  smoke     Wait until an environment serves a tag, check its URLs, record the result
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
`,C={tag:{usage:K,run:xe},digest:{usage:$,run:Ne},bump:{usage:M,run:Pe},smoke:{usage:Ie,run:async(r,t)=>(await import("./chunks/smoke-H2PZX4RC.js")).smoke(r,t)},status:{usage:q,run:He},init:{usage:H,run:ke},promote:{usage:x,run:De},reset:{usage:Y,run:$e},rollback:{usage:B,run:Me}};function Be(r,t){return t.filter(e=>e.length>=4).reduce((e,o)=>e.split(o).join("***"),r)}function tt(r,t){let{values:e,positionals:o}=(()=>{try{return et({args:[...r],options:{help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}},strict:!0,allowPositionals:!0})}catch(p){throw Oe(p)??p}})();if(e.version)return t.stdout(`tagrelay ${Z}
`),i;let n=o[0]===void 0?void 0:C[o[0]];if(e.help)return t.stdout(n?.usage??Ye),i;throw new h(`expected a command first (${Object.keys(C).join(", ")})`)}async function rt(r,t){let e=[];for(let a of["GITHUB_TOKEN","GH_TOKEN","REGISTRY_PASSWORD","ARGOCD_AUTH_TOKEN"]){let c=t.env[a]?.trim();c&&e.push(c)}let o={env:t.env,secrets:e,stdout:a=>t.stdout(Be(a,e)),stderr:a=>t.stderr(Be(a,e)),...t.stdin?{stdin:t.stdin}:{}},[n,...p]=r;if(n===void 0)return o.stderr(Ye),D;let s=n.startsWith("-")?void 0:C[n];try{if(s===void 0){if(!n.startsWith("-"))throw new h(`unknown command ${L(n)}: expected ${Object.keys(C).join(" or ")}`);return tt(r,o)}return await s.run(p,o)}catch(a){return o.stderr(`tagrelay: ${we(a)}
`),ve(a)?(o.stderr(`Run 'tagrelay ${s?`${n} `:""}--help' for usage.
`),D):(a instanceof Error&&a.stack&&t.env.TAGRELAY_DEBUG&&o.stderr(`${a.stack}
`),N)}}if(F(import.meta.url)){for(let r of[process.stdout,process.stderr])r.on("error",t=>{if(t.code!=="EPIPE")throw t});rt(process.argv.slice(2),{env:process.env,stdout:r=>process.stdout.write(r),stderr:r=>process.stderr.write(r),stdin:async()=>{let r=[];for await(let t of process.stdin)r.push(t);return Buffer.concat(r).toString("utf8")}}).then(r=>{process.exitCode=r})}export{Ye as USAGE,rt as main};
