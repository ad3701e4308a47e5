/** Sealing originals after a destroy (issue 15, finding 3): no key is made again; later texts are sealed unreadable or refused. */
import { sealOriginals } from '../../functions/src/application/originals/seal-originals';
import { ERROR_CODES } from '../../functions/src/domain/errors';
import { InMemoryOriginals, PlainVault, SequentialIds } from './fakes';

const AT = '2026-03-02T10:00:00.000Z';
const CARD_TEXT = [{ source: 'message' as const, messageId: 'm-1', text: 'card 4111 1111 1111 1111' }];

function world() {
  const originals = new InMemoryOriginals();
  const vault = new PlainVault();
  const unkept = jest.spyOn(vault, 'unkeptKey');
  const created = jest.spyOn(originals, 'createKey');
  return { deps: { originals, vault, ids: new SequentialIds() }, originals, unkept, created };
}

describe('sealing after a destroy', () => {
  it('when the key was destroyed, then a later text is sealed under a key that is never kept and no key is created', async () => {
    const w = world();
    await w.originals.destroy('t-1', { at: AT, by: 'po', reason: 'asked', afterwards: 'destroyed' });
    const sealed = await sealOriginals(w.deps, 't-1', CARD_TEXT, AT, false);
    expect(sealed?.texts).toHaveLength(1);
    expect(w.unkept).toHaveBeenCalledTimes(1);
    expect(w.created).not.toHaveBeenCalled();
  });

  it('when the privacy officer chose refused, then a later text is refused with 422 and manual redaction still seals unreadable', async () => {
    const w = world();
    await w.originals.destroy('t-1', { at: AT, by: 'po', reason: 'asked', afterwards: 'refused' });
    await expect(sealOriginals(w.deps, 't-1', CARD_TEXT, AT, false)).rejects.toMatchObject({ code: ERROR_CODES.sealingRefused });
    expect((await sealOriginals(w.deps, 't-1', CARD_TEXT, AT, false, 'seal-unreadable'))?.texts).toHaveLength(1);
    expect(w.unkept).toHaveBeenCalledTimes(1);
  });

  it('when a destroy wins the race to a ticket without a key, then the text is sealed unreadable instead of under a new key', async () => {
    const w = world();
    w.originals.keys.set('t-2', { state: 'none' });
    w.created.mockResolvedValueOnce({ state: 'destroyed', afterwards: 'destroyed' });
    expect((await sealOriginals(w.deps, 't-2', CARD_TEXT, AT, false))?.texts).toHaveLength(1);
    expect(w.unkept).toHaveBeenCalledTimes(1);
  });
});
