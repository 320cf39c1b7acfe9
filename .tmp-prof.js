const {loadKnowledge}=require('./dist/src/knowledge');
const {Recognizer}=require('./dist/src/nlu/recognizer');
const w=require('./dist/src/nlu/whole');
const kb=loadKnowledge('knowledge');
let t0=Date.now(); Recognizer.build(kb.entries); console.log('build1',Date.now()-t0);
t0=Date.now(); const r=Recognizer.build(kb.entries); console.log('build2',Date.now()-t0);
const orig=w.WholeMessageModel;
