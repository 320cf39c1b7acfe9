/**
 * What blind procedure set 16 found, through the whole bot turn by turn, in Malay and English: right after a verdict,
 * "what if I switch to postpaid instead?" checks the same line again (no new code, not the chat's own number); a plan
 * named after "dari"/"from" is the line's own, not the one switched to; a value said not to be meant ("20hb Mac bkn
 * 18hb") corrects the bill; "change the description to: …" at the ticket's summary edits it with its value; "call me
 * at …" gives no name; a request for a person in a clause of its own hands over.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';


describe('blind set 16', () => {
  // (staff on duty at any hour: a request for a person is queued whatever the clock says)
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'anak sy guna prepaid 013-100 0002, nk tukar ke pelan prepaid lain. boleh x?', 'hmm kalau tukar ke postpaid pulak boleh?', '✓ Talian +6013•••••02', 'Prepaid kepada Postpaid'],
    ['en', "my son's prepaid line 013-100 0002, can it move to another prepaid plan?", 'what if he switches to postpaid instead, can he?', '✓ Line +6013•••••02', 'Prepaid to Postpaid'],
  ] as const)('%s: a "what if" for another switch right after the verdict checks the same line again', async (_lang, first, whatIf, eligible, type) => {
    await t.chat.say(first);
    expect(joined(await t.chat.say(await t.sms.nextCode()))).toContain('✗');
    const said = joined(await t.chat.say(whatIf));
    expect(said).toContain(eligible);
    expect(said.toLowerCase()).toContain(type.toLowerCase());
    // the line was proved a minute ago: no second code
    expect(t.sms.sent).toHaveLength(1);
  });

  test.each([
    ['ms', 'Nk semak boleh tukar pelan x, talian 012-100 0006, dari Demo Postpaid 40 ke postpaid lain', '✓ Talian +6012•••••06'],
    ['en', 'Please check if line 012-100 0006 can switch from Demo Postpaid 40 to another postpaid plan', '✓ Line +6012•••••06'],
  ] as const)('%s: the plan named after "dari"/"from" is the line\'s own, not the target', async (_lang, message, eligible) => {
    await t.chat.say(message);
    const verdict = joined(await t.chat.say(await t.sms.nextCode()));
    expect(verdict).toContain(eligible);
    expect(verdict).toContain('Digi Postpaid 80');
  });

  test.each([
    ['ms', 'tolong kira bil pro-rata: pelan lama RM98, pelan baru RM128. sy tukar 18hb Mac 2026, kitaran bil mula 5hb Mac 2026', 'eh sori, sy tukar 20hb Mac bkn 18hb', 'RM113.48'],
    ['en', 'please work out my pro-rata bill: old plan RM98, new plan RM128, switched on 18 March 2026, cycle starts 5 March 2026', 'oh I switched on 20 March, not the 18th', 'RM113.48'],
  ] as const)('%s: a value said not to be meant corrects the bill', async (_lang, request, correction, total) => {
    expect(joined(await t.chat.say(request))).toContain('RM115.42');
    expect(joined(await t.chat.say(correction))).toContain(total);
  });

  test.each([
    ['ms', 'nak buat aduan', 'Pertukaran pelan prepaid ke postpaid saya ditolak di kedai Digi walaupun talian aktif', 'telefon saya 012-777 8899', 'Ubah', 'tukar keterangan kepada: pertukaran ditolak di kedai Digi pada 2 Mei 2026 walaupun talian aktif', 'setuju', 'Penerangan: pertukaran ditolak'],
    ['en', 'need to raise a ticket', 'My switch from prepaid to postpaid was rejected at the Digi Store even though my line is active', 'call me at 012-777 8899', 'Edit', 'change the description to: my switch was rejected at the Digi Store on 2 May 2026 although my line is active', 'agree', 'Description: my switch was rejected'],
  ] as const)('%s: "change the description to: …" edits it with its value; "call me at" gives no name', async (_lang, start, description, contact, edit, change, agree, changed) => {
    await t.chat.say(start);
    await t.chat.say(description);
    const summary = joined(await t.chat.say(contact));
    expect(summary).not.toMatch(/(?:Nama|Name): me\b/);
    await t.chat.say(edit);
    expect(joined(await t.chat.say(change))).toContain(changed);
    expect(joined(await t.chat.say(agree))).toMatch(/TKT-\d{8}-[A-Z0-9]{4}/);
  });

  test.each([
    ['ms', 'sy tak nak isi borang lagi dan tunggu balasan emel, sy cuma nak cakap dengan orang sebenar je', 'giliran'],
    ['en', "I don't want another form, I just want to speak to a human agent", 'queue'],
  ] as const)('%s: a request for a person in a clause of its own hands over', async (_lang, message, queued) => {
    const said = joined(await t.chat.say(message));
    expect(said).toContain(queued);
  });
});
