const {loadKnowledge}=require('./dist/src/knowledge');
const {Recognizer,DEFAULT_RECOGNIZER_OPTIONS}=require('./dist/src/nlu/recognizer');
const {loadUtterances,byGroup}=require('./dist/src/cli/eval');
const kb=loadKnowledge('knowledge');
const t0=Date.now(); const r=Recognizer.build(kb.entries, {...DEFAULT_RECOGNIZER_OPTIONS, ...JSON.parse(process.argv[2]||'{}')}); console.log('build',Date.now()-t0,'ms', r.model.epochs,'epochs', r.model.features,'feats');
const verbose=process.argv[3];
for (const f of ['utterances','dev2','holdout','dev-styles']) {
  const us=loadUtterances('test/eval/'+f+'.yaml');
  const preds=us.map(u=>{const x=r.match(u.text); return {label:x.candidates[0]?.entry.id??'(none)', decision:x.decision, score:x.candidates[0]?.score??0}});
  const g=byGroup(us,preds), gl=byGroup(us,preds,true);
  console.log(f.padEnd(11), Object.entries(g).map(([k,v])=>`${k}=${(v.accuracy*100).toFixed(0)}(${(gl[k].accuracy*100).toFixed(0)})`).join(' '));
  if (verbose && (verbose==='all'||verbose===f)) us.forEach((u,i)=>{ const p=preds[i]; const ok=(u.label==='out_of_scope')?p.decision==='fallback':(p.decision==='answer'&&p.label===u.label); if(!ok) console.log('   ',u.style||'',u.label,'<-',p.decision,p.label,p.score, JSON.stringify(u.text).slice(0,110)); });
}
