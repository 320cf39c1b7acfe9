const {detectLanguage}=require('./dist/src/language/detect');
for (const t of ['is the ebiz portal available in english or only malay','I don\'t speak malay','saya tak faham english','my english not good','can you reply in malay please','boleh guna bahasa inggeris?','how do i switch plan to postpaid','nak tukar ke prepaid','in bahasa please','BM je','cakap melayu je boleh','saya nak tukar pelan ke postpaid, boleh?','eng pls','bi boleh'])
  console.log(JSON.stringify(t), JSON.stringify(detectLanguage(t,{locale:'en-US'})));
