const {Recognizer}=require('./dist/src/nlu/recognizer');
function entry(id, ms, en, kind='faq'){return {id,pack:id.split('.')[0],kind,question:{ms:ms[0],en:en[0]},examples:{ms,en},answer:kind==='faq'?{ms:'j',en:'a'}:undefined,status:'complete',followups:[]}}
const fixtures = [
  entry('ebiz.upgrade-account', ['Bagaimana tatacara untuk naiktaraf akaun pengguna?', 'cara naik taraf akaun'], ['How do I upgrade my user account?', 'upgrade account steps']),
  entry('ebiz.login-old-user-id', ['log masuk guna ID pengguna lama', 'cara login dengan id lama'], ['log in with my old user ID', 'sign in using old user id']),
  entry('planswitch.conditions-postpaid-prepaid', ['syarat tukar pelan postpaid ke prepaid'], ['conditions to switch postpaid to prepaid']),
  entry('planswitch.conditions-prepaid-postpaid', ['syarat tukar pelan prepaid ke postpaid'], ['conditions to switch prepaid to postpaid']),
  entry('planswitch.prepaid-credit-carryover', ['baki kredit prepaid dipindahkan ke postpaid'], ['prepaid credit balance carried over to postpaid']),
  entry('planswitch.prorata-formula', ['formula pro-rata'], ['pro-rata formula']),
  entry('planswitch.prorata-calculator', ['kira pro-rata saya'], ['calculate my pro-rata'], 'procedure'),
  entry('core.ticket-status', ['semak status tiket saya'], ['check the status of my ticket'], 'procedure'),
];
const r=Recognizer.build(fixtures);
for (const q of process.argv.slice(2)) { const x=r.match(q); console.log(q, x.decision, x.features.join(','), x.candidates.map(c=>c.entry.id+':'+c.score).join(' ')); }
const x=r.match('pro-rata'); const ids=x.candidates.map(c=>fixtures.indexOf(c.entry));
const keys={word:(f)=>r.featureIds.get(f),other:(s)=>r.model.other(s,false)};
const w=require('./dist/src/nlu/whole'); const v=new Map(); const mass=w.textFeatures(['#prorata'],['pro-rata'],1,v,keys,true);
console.log(r.model.score(v,5,mass), r.matcherTop(require('./dist/src/language/normalize').analyze('pro-rata','en')).top);
