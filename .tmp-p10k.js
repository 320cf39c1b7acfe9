const {loadKnowledge}=require('./dist/src/knowledge');
const {Recognizer}=require('./dist/src/nlu/recognizer');
const {synthetic}=require('./dist/bench/nlu');
const kb=loadKnowledge('knowledge');
const es=synthetic(kb.entries,10000); const c0=process.cpuUsage(); Recognizer.build(es); const c=process.cpuUsage(c0); console.log('cpu',(c.user+c.system)/1000|0);
