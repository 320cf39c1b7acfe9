/**
 * The new-password rules of the migration form beyond the minimum (issue 13, item 12): the common-password
 * list, obvious patterns, and the customer's own details — and that ordinary good passwords still pass.
 */
import { passwordProblem } from '../../src/web/migration/password';
import { validateMigrationForm } from '../../src/web/migration/form';

const aminah = { names: ['Aminah binti Abdullah'], emails: ['aminah.abdullah@example.com'], numbers: ['850312145672', '+60123456789'] };

test.each([
  ['password12', 'common'],
  ['aaaaaaaaa1', 'pattern'],
  ['Password2024!', 'common'],
  ['iloveyou2020', 'common'],
  ['S@y@ng1234', 'common'],
  ['1q2w3e4r5t', 'common'],
  ['zzzzzz1zzz', 'pattern'],
  ['ab12ab12ab12', 'pattern'],
  ['9876543210x', 'pattern'],
  ['asdfghjkl;7', 'common'],
  ['hjkl;1234zz', 'pattern'],
  ['Aminah1985!', 'personal'],
  ['abdullahkl#2024', 'personal'],
  ['850312-pass-x', 'personal'],
  ['x0123456789y', 'pattern'],
  ['my123456789', 'pattern'],
  ['kerja-ebiz-2024', 'personal'],
])('%s is refused (%s)', (password, kind) => {
  expect(passwordProblem(password, aminah)).toBe(`migration.form.error.password-${kind}`);
});

test.each(['kuih lapis 2026', 'kata laluan 2024', 'Nasi lemak sedap 7', 'correct horse battery 9', 'Kedah-Langkawi-88', 'bunga raya 3 kuning', 'Xk9#vB2!qLm4'])(
  '%s is accepted',
  (password) => {
    expect(passwordProblem(password, aminah)).toBeUndefined();
  },
);

test('the form applies the rules with the account and the submitted details, after the minimum policy', () => {
  const base = { name: 'Siti Nurhaliza', phone: '012-345 6789', email: 'siti.new@example.com' };
  const form = (password: string, account = {}) => validateMigrationForm({ ...base, password, password_confirm: password }, account);
  expect(form('short1')).toMatchObject({ ok: false, errors: { password: 'migration.form.error.password' } });
  expect(form('password12')).toMatchObject({ ok: false, errors: { password: 'migration.form.error.password-common' } });
  expect(form('nurhaliza99!')).toMatchObject({ ok: false, errors: { password: 'migration.form.error.password-personal' } });
  expect(form('x0123456789y'.replace('0123456789', '3456789'))).toMatchObject({ ok: false });
  expect(form('Bukit Bintang 42', { names: ['Bintang Corp'] })).toMatchObject({ ok: false, errors: { password: 'migration.form.error.password-personal' } });
  expect(form('Bukit Bintang 42')).toMatchObject({ ok: true });
});
