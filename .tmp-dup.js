const {Recognizer}=require('./dist/src/nlu/recognizer');
function entry(id, ms, en, kind='faq'){return {id,pack:id.split('.')[0],kind,question:{ms:ms[0],en:en[0]},examples:{ms,en},answer:kind==='faq'?{ms:'j',en:'a'}:undefined,status:'complete',followups:[]}}
const base = [ entry('core.ticket-status', ['semak status tiket saya'], ['check the status of my ticket']), entry('ebiz.upgrade-account', ['cara naik taraf akaun'], ['how do i upgrade my account']) ];
const withCopies = [ entry('core.ticket-status', ['semak status tiket saya', 'Semak status tiket saya!', 'semak status tiket'], ['check the status of my ticket', 'check the status of my ticket please']), base[1] ];
const a=Recognizer.build(base), b=Recognizer.build(withCopies);
console.log(a.model.exEntry, a.model.epochs, b.model.epochs, a.model.features, b.model.features, a.model.bias, b.model.bias);
for (const q of ['check ticket']) console.log(a.match(q).candidates.map(c=>c.score), b.match(q).candidates.map(c=>c.score));
const W=require('./dist/src/nlu/whole').WholeMessageModel; const orig=W.prototype.add;
W.prototype.add=function(c,x){console.log('add',c,x.size);return orig.call(this,c,x)};
console.log('--a'); Recognizer.build(base); console.log('--b'); Recognizer.build(withCopies);
