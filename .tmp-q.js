const {loadKnowledge}=require('./dist/src/knowledge');
const {Recognizer}=require('./dist/src/nlu/recognizer');
const kb=loadKnowledge('knowledge'); const r=Recognizer.build(kb.entries);
for (const q of process.argv.slice(2)) { const x=r.match(q); console.log(q, x.decision, x.candidates.map(c=>c.entry.id+':'+c.score).join(' ')); }
