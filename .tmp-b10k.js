const {loadKnowledge}=require('./dist/src/knowledge');
const {Recognizer}=require('./dist/src/nlu/recognizer');
const {synthetic}=require('./dist/bench/nlu');
const kb=loadKnowledge('knowledge');
for (const n of [0,1000,10000]) { const es=n?synthetic(kb.entries,n):kb.entries; const c0=process.cpuUsage(); const t0=Date.now(); const r=Recognizer.build(es); const c=process.cpuUsage(c0); console.log(n,'wall',Date.now()-t0,'cpu',(c.user+c.system)/1000|0,'epochs',r.model.epochs, 'feats', r.model.features);
 const c1=process.cpuUsage(); for(let i=0;i<300;i++) r.match(['how do i upgrade my account','nak tukar prepaid ke postpaid boleh ke','Saya dah guna prabayar Digi hampir lima tahun dan baru top up RM50 semalam. Sekarang saya fikir nak tukar ke pascabayar. Duit tu hilang ke?'][i%3]); const cc=process.cpuUsage(c1); console.log('  cpu/query ms',((cc.user+cc.system)/1000/300).toFixed(3)); }
