/** The category a customer's sentence names (dialogs/ticket.ts categoryFromText), in both languages. */
import { categoryFromText } from '../../dialogs/ticket';

describe('categoryFromText', () => {
  test.each([
    ['raise a ticket about billing', 'billing'],
    ['I was billed twice this month', 'billing'],
    ['saya dicaj dua kali', 'billing'],
    ['tak boleh log masuk ebiz', 'ebiz-account'],
    // a category named as such wins over the topics the rest of the sentence mentions
    ["Category: other, it's about the customer service at the store, not billing. Email me at a@b.com", 'other'],
    ['kategori: lain-lain. staf kedai kasar, bukan pasal bil', 'other'],
    ['kategori bil, saya dah bayar online tapi masih tertunggak', 'billing'],
    // the opening words alone name it ("Plan switch. My line shows suspended … I pay every month")
    ['Plan switch. My line shows suspended but I never got any notice and I pay every month', 'plan-switch'],
    ['Bil, sy dicaj dua kali bulan ni', 'billing'],
    // what the complaint is about, over the story told before it
    ['Tp sampai hari ni line sy masih postpaid dan bil baru masuk lagi. Tolong buat aduan pasal penukaran pelan ni', 'plan-switch'],
    ['My bill came again although I asked to go prepaid. I want to make a complaint about the plan switch', 'plan-switch'],
    ['suspended?? i paid everything already. can i talk to a real person? or open a ticket under plan switch also can', 'plan-switch'],
    ['sy dah bayar semua. buka tiket untuk tukar pelan', 'plan-switch'],
    // a payment to the mobile operator is a billing matter, not an eBiz purchase
    ['but I already paid that RM45.20 last week at the Digi store. I want to make a complaint', 'billing'],
    ['sy dah bayar RM45.20 kat kedai Digi minggu lepas tp line masih tertahan', 'billing'],
    ['sy dah bayar peta tp x dapat fail', 'ebiz-purchase'],
    // a topic set aside is no category
    ['bukan pasal bil, pasal akaun ebiz sy', 'ebiz-account'],
    ["it's not about my bill, my eBiz account is locked", 'ebiz-account'],
    // "eBiz" alone names the portal: the story says whether an account or a purchase
    ['hi nak buat aduan pasal eBiz. sy dah beli data digital tp fail x blh download', 'ebiz-purchase'],
    ['complaint about eBiz: I paid for the map data but the download never came', 'ebiz-purchase'],
    ['aduan pasal eBiz, x boleh login guna ID lama', 'ebiz-account'],
    ['aduan pasal akaun eBiz, sy beli data', 'ebiz-account'],
    // a contract's penalty is a plan switch's matter
    ['pasal penalti kontrak RM300 tu, sy nak tukar ke prabayar tp mahal sgt', 'plan-switch'],
    ['I want to appeal the contract penalty', 'plan-switch'],
  ] as const)('%s → %s', (text, category) => {
    expect(categoryFromText(text)).toBe(category);
  });
});
