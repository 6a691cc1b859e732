#!/usr/bin/env node
import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as J,b as Q}from"./chunks/chunk-JIDDMQWQ.js";import{a as ne,b as de,c as me,d as ue,e as ge,f as fe,g as ye,h as Ee,i as Re}from"./chunks/chunk-XSAP25GK.js";import{a as w,c as ae,d as _,f as se,g as ie,h as pe}from"./chunks/chunk-RQ6VUB3P.js";import{a as F,b as j,d as Z}from"./chunks/chunk-TS4R5FUZ.js";import{a as W}from"./chunks/chunk-N2OUTSLR.js";import{a as i,b as P,c as U,d as h,e as Ae,f as be,g as Te,l as f,m as u,n as y,o as we,q as E,r as ve}from"./chunks/chunk-MM4OFHML.js";import{a as ce,h as le,m as he}from"./chunks/chunk-R6IQPFWX.js";import"./chunks/chunk-EEXI6Y5A.js";import{H as ee,S as te,T as re,V as oe,a as K,c as g,l as L,n as A,o as b,q as S,r as V,s as T,t as v,x as X,y as z,z as I}from"./chunks/chunk-RHA33TLA.js";import"./chunks/chunk-N3CXFZHN.js";import"./chunks/chunk-EEEC4TXW.js";import{parseArgs as Qe}from"node:util";var D=`Usage: tagrelay bump --app APP[,APP...] --tag TAG
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
`,Be={...f,app:{type:"string",multiple:!0},tag:{type:"string"},image:{type:"string"},digest:{type:"string"},env:{type:"string"},mode:{type:"string"},"dry-run":{type:"boolean"}};function O(r){let t=r.changeSet.apps.map(te);return r.changeSet.files.length===0?t.push("nothing to commit"):r.dryRun?t.push(r.diff.trimEnd(),"dry run: nothing committed"):r.commit&&t.push(`committed ${r.commit.oid}${r.commit.url?` ${r.commit.url}`:""}`),r.pullRequest&&(t.push(`pull request #${r.pullRequest.number} ${r.pullRequest.url} (branch ${r.pullRequest.branch})`),r.pullRequest.autoMerge!=="enabled"&&t.push(`auto-merge not enabled: ${r.pullRequest.autoMerge}`)),r.attempts>1&&t.push(`(the branch moved meanwhile: committed on attempt ${r.attempts})`),`${t.join(`
`)}
`}async function Oe(r,t){let e=u(r,Be);if(e.help)return t.stdout(D),i;let o=ne({app:(e.app??[]).join(","),tag:e.tag??"",image:e.image,digest:e.digest,environment:e.env},{sourceCommit:b(A(t.env))}),n=e.mode??"direct";if(n!=="direct"&&n!=="pull-request")throw new g("--mode",e.mode,"direct or pull-request");let p=y(e);if(p.kind==="local"&&n==="pull-request")throw new g("--mode",n,"direct: pull requests need --repo (a local checkout gets a commit)");let{target:s,github:a}=await E(p,t),c=await w(s,{paths:re(o.env,o.apps,ee),plan:d=>oe(o,d)},{branch:p.branch,mode:n,dryRun:e["dry-run"]??!1,engine:{log:d=>t.stderr(`${d}
`)}},a);return t.stdout(O(c)),i}var N={username:{type:"string"},"password-stdin":{type:"boolean"}};async function k(r,t){if(r["password-stdin"]){if(!r.username)throw new h("--password-stdin needs --username");if(!t.stdin)throw new h("--password-stdin: no standard input to read");let n=(await t.stdin()).replace(/\r?\n$/,"");if(n==="")throw new g("--password-stdin",void 0,"a password or token on stdin");return t.secrets.push(n),{username:r.username,password:n}}if(r.username!==void 0)throw new h("--username needs --password-stdin");let e=t.env.REGISTRY_USERNAME?.trim()??"",o=t.env.REGISTRY_PASSWORD??"";if(!(e===""&&o==="")){if(e==="")throw new g("REGISTRY_USERNAME",void 0,"the user REGISTRY_PASSWORD belongs to");if(o==="")throw new g("REGISTRY_PASSWORD",void 0,`the password or token of ${e}`);return{username:e,password:o}}}var M=`Usage: tagrelay digest --image REPOSITORY --tag TAG
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
`,Ye={image:{type:"string"},tag:{type:"string"},...N,insecure:{type:"boolean"},help:{type:"boolean",short:"h"}};async function Se(r,t){let e=u(r,Ye);if(e.help)return t.stdout(M),i;let o=F(e.image??"","--image"),n=S(e.tag??"",{input:"--tag",denied:[]}),p=new Z(o,{credentials:await k(e,t),insecure:e.insecure??!1,userAgent:I});try{let s={...o,tag:n},a=await p.lookup(s);if(!a.found)throw new L(`${j(s)} does not exist in registry ${o.registry} (${a.reason})`);return t.stdout(`${a.digest}
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
`,qe={...f,app:{type:"string"},image:{type:"string"},tag:{type:"string"},"repo-url":{type:"string"},"dry-run":{type:"boolean"}};function Ke(r){if(!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(r))throw new g("--repo-url",r,"a clone URL such as https://github.com/synestra/gitops.git");return r}async function Ie(r,t){let e=u(r,qe);if(e.help)return t.stdout(H),i;let o=V(e.app??"","--app"),n=X(e.image??"","--image"),p=S(e.tag??"",{input:"--tag"}),s=y(e),{target:a,local:c}=await E(s,t),d=e["repo-url"]===void 0?void 0:Ke(e["repo-url"]);if(d===void 0&&s.kind==="github"){let{serverUrl:R}=A(t.env);d=`${R}/${s.repository.owner}/${s.repository.name}.git`}if(d??=await c?.gitValue("remote","get-url","origin"),d===void 0)throw new h(`${s.kind==="local"?s.dir:"the checkout"} has no origin remote: give --repo-url URL`);let l=await w(a,me({app:o,image:n,tag:p,repoURL:d},s.branch),{branch:s.branch,mode:"direct",dryRun:e["dry-run"]??!1,engine:{log:R=>t.stderr(`${R}
`)}}),m=l.changeSet.files.map(R=>`created ${R.path}`);l.dryRun?m.push(l.diff.trimEnd(),"dry run: nothing committed"):l.commit&&m.push(`committed ${l.commit.oid}${l.commit.url?` ${l.commit.url}`:""}`),m.push("","Not done by tagrelay (the rest of the bootstrap):");for(let R of de(l.layout,o))m.push(`  - ${R}`);return t.stdout(`${m.join(`
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
`,$=`Usage: tagrelay rollback --app APP [--env ENV] [--tag TAG]
                        (--repo OWNER/NAME [--branch BRANCH] [--mode MODE] | --local DIR)
                        [--force] [--dry-run]

Take an environment (default: the last of the chain) back to the tag it had before
its current one, or to --tag: a tag it had before, or one verified in the environment
before it. The commit carries Rollback-Of: a later promotion of the rolled-back tag is
refused unless forced.
`,Le={...f,...N,app:{type:"string",multiple:!0},tag:{type:"string"},from:{type:"string"},to:{type:"string"},mode:{type:"string"},force:{type:"boolean"},"check-digest":{type:"boolean"},"dry-run":{type:"boolean"}},We={...f,app:{type:"string"},env:{type:"string"},tag:{type:"string"},mode:{type:"string"},force:{type:"boolean"},"dry-run":{type:"boolean"}};function Pe(r,t){let e=r??"direct";if(e!=="direct"&&e!=="pull-request")throw new g("--mode",r,"direct or pull-request");if(t&&e==="pull-request")throw new g("--mode",e,"direct: pull requests need --repo (a local checkout gets a commit)");return e}async function Ne(r,t,e){return{force:r.force??!1,forcedBy:r.force?await Fe(t,e):void 0,sourceCommit:b(A(t.env))}}function ke(r,t,e,o){return{branch:t,mode:e,dryRun:o??!1,engine:{log:n=>r.stderr(`${n}
`)}}}async function Fe(r,t){return r.env.GITHUB_ACTOR||await t.local?.gitValue("config","--get","user.name")||r.env.USER||"unknown"}function Ge(r,t,e){let o=O(t).split(`
`).slice(t.changeSet.apps.length).join(`
`);r.stdout(`${[...e,o.trimEnd()].filter(n=>n!=="").join(`
`)}
`)}async function Ce(r,t){let e=u(r,Le);if(e.help)return t.stdout(x),i;let o=v((e.app??[]).join(","),"--app"),n=y(e),p=Pe(e.mode,n.kind==="local");e.to!==void 0&&T(e.to,"--to"),e.from!==void 0&&T(e.from,"--from");let s=e["check-digest"]?await k(e,t):void 0,a=await E(n,t),c=e["check-digest"]?pe({credentials:s,userAgent:I}):void 0;try{let d=await se(a.target,{apps:o,to:e.to,from:e.from,tag:e.tag,...await Ne(e,t,a)},{...ke(t,n.branch,p,e["dry-run"]),digestOf:c?.digestOf},a.github),l=new Map(d.changeSet.apps.map(m=>[m.app,m.previous.tag]));return Ge(t,d,d.verdicts.map(m=>_(m,l.get(m.app)))),i}catch(d){if(d instanceof ae)for(let l of d.verdicts)t.stderr(`${_(l)}
`);throw d}finally{await c?.close()}}async function _e(r,t){let e=u(r,We);if(e.help)return t.stdout($),i;let[o]=v(e.app??"","--app"),n=y(e),p=Pe(e.mode,n.kind==="local"),s=await E(n,t),a=await ie(s.target,{app:o,env:e.env===void 0?void 0:T(e.env,"--env"),tag:e.tag,...await Ne(e,t,s)},ke(t,n.branch,p,e["dry-run"]),s.github);return Ge(t,a,a.changeSet.apps.map(c=>`${c.app}: ${c.previous.tag??"(none)"} \u2192 ${c.tag} (rollback)`)),i}var B=`Usage: tagrelay reset --app APP[,APP...] [--env ENV]
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
`,je={...f,app:{type:"string",multiple:!0},env:{type:"string"},"argocd-server":{type:"string"},"argocd-token-stdin":{type:"boolean"},drift:{type:"boolean"},timeout:{type:"string"},"dry-run":{type:"boolean"}};async function Ve(r,t){let e=t.env.ARGOCD_AUTH_TOKEN?.trim()??"";if(r["argocd-token-stdin"]){if(!t.stdin)throw new h("--argocd-token-stdin: no standard input to read");e=(await t.stdin()).trim()}if(e==="")throw new g("ARGOCD_AUTH_TOKEN",void 0,"an Argo CD API token (or --argocd-token-stdin)");return t.secrets.push(e),e}async function Ue(r,t){let e=u(r,je);if(e.help)return t.stdout(B),i;let o=v((e.app??[]).join(","),"--app"),n=T(e.env??"dev","--env"),p=ce(e.timeout??"5m","--timeout",{minMs:1e3});if((e.drift||e["argocd-token-stdin"])&&e["argocd-server"]===void 0)throw new h("--drift and --argocd-token-stdin need --argocd-server");let s=e["argocd-server"]===void 0?void 0:le(e["argocd-server"],"--argocd-server"),a=s===void 0?void 0:await Ve(e,t),c=y(e),d=await E(c,t),l=C=>t.stderr(`${C}
`),m=await w(d.target,ue({env:n,apps:o,sourceCommit:b(A(t.env))}),{branch:c.branch,mode:"direct",dryRun:e["dry-run"]??!1,engine:{log:l}});if(t.stdout(O(m)),s===void 0||a===void 0||m.dryRun)return i;let R=new he({server:s,token:a,requestTimeoutMs:1e4});try{let C=await ge(R,m,{timeoutMs:p,log:l,drift:e.drift??!1});t.stdout(C.map($e=>`${$e}
`).join(""))}finally{await R.close()}return i}var Y=`Usage: tagrelay status (--repo OWNER/NAME [--branch BRANCH] | --local DIR)
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
`,Xe={...f,app:{type:"string",multiple:!0},json:{type:"boolean"}};async function De(r,t){let e=u(r,Xe);if(e.help)return t.stdout(Y),i;let o=we(e.app),n=y(e),{target:p}=await E(n,t),s=await fe(p,n.branch,o,ye(p));t.stdout(e.json?Re(s):Ee(s));let a=s.apps.flatMap(c=>Object.values(c.environments).filter(d=>d.error!==void 0));for(let c of a)t.stderr(`tagrelay: ${c.error}
`);return a.length>0?P:i}var q=`Usage: tagrelay tag --sha SHA [--format FORMAT] [--run-number N] [--branch BRANCH]
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
`,Je={sha:{type:"string"},format:{type:"string"},"run-number":{type:"string"},branch:{type:"string"},date:{type:"string"},help:{type:"boolean",short:"h"}};async function Me(r,t){let e=u(r,Je);if(e.help)return t.stdout(q),i;let o=Q(e.format,{sha:e.sha??"",runNumber:e["run-number"],branch:e.branch,date:e.date??J(new Date)},{inputs:{format:"--format",sha:"--sha",runNumber:"--run-number",branch:"--branch",date:"--date"}});return t.stdout(`${o}
`),i}var xe=`Usage: tagrelay <command> [flags]

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
`,G={tag:{usage:q,run:Me},digest:{usage:M,run:Se},bump:{usage:D,run:Oe},smoke:{usage:ve,run:async(r,t)=>(await import("./chunks/smoke-FRCGF4N4.js")).smoke(r,t)},status:{usage:Y,run:De},init:{usage:H,run:Ie},promote:{usage:x,run:Ce},reset:{usage:B,run:Ue},rollback:{usage:$,run:_e}};function He(r,t){return t.filter(e=>e.length>=4).reduce((e,o)=>e.split(o).join("***"),r)}function ze(r,t){let{values:e,positionals:o}=(()=>{try{return Qe({args:[...r],options:{help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}},strict:!0,allowPositionals:!0})}catch(p){throw Te(p)??p}})();if(e.version)return t.stdout(`tagrelay ${z}
`),i;let n=o[0]===void 0?void 0:G[o[0]];if(e.help)return t.stdout(n?.usage??xe),i;throw new h(`expected a command first (${Object.keys(G).join(", ")})`)}async function Ze(r,t){let e=[];for(let a of["GITHUB_TOKEN","GH_TOKEN","REGISTRY_PASSWORD","ARGOCD_AUTH_TOKEN"]){let c=t.env[a]?.trim();c&&e.push(c)}let o={env:t.env,secrets:e,stdout:a=>t.stdout(He(a,e)),stderr:a=>t.stderr(He(a,e)),...t.stdin?{stdin:t.stdin}:{}},[n,...p]=r;if(n===void 0)return o.stderr(xe),U;let s=n.startsWith("-")?void 0:G[n];try{if(s===void 0){if(!n.startsWith("-"))throw new h(`unknown command ${K(n)}: expected ${Object.keys(G).join(" or ")}`);return ze(r,o)}return await s.run(p,o)}catch(a){return o.stderr(`tagrelay: ${Ae(a)}
`),be(a)?(o.stderr(`Run 'tagrelay ${s?`${n} `:""}--help' for usage.
`),U):(a instanceof Error&&a.stack&&t.env.TAGRELAY_DEBUG&&o.stderr(`${a.stack}
`),P)}}if(W(import.meta.url)){for(let r of[process.stdout,process.stderr])r.on("error",t=>{if(t.code!=="EPIPE")throw t});Ze(process.argv.slice(2),{env:process.env,stdout:r=>process.stdout.write(r),stderr:r=>process.stderr.write(r),stdin:async()=>{let r=[];for await(let t of process.stdin)r.push(t);return Buffer.concat(r).toString("utf8")}}).then(r=>{process.exitCode=r})}export{xe as USAGE,Ze as main};
