import { describe, expect, it } from 'vitest';
import { isSensitiveFact, parseProposals, screenProposals } from './memory';

describe('what the assistant may learn about a user', () => {
  it('never lets a fact about health, religion, politics, sexuality or ethnicity through, in English or Turkish, whatever its category', () => {
    const sensitive = [
      { key: 'Health', value: 'Has type 1 diabetes', category: 'general' },
      { key: 'Background', value: 'A practising Muslim', category: 'general' },
      { key: 'Views', value: 'Votes for the Green party', category: 'interests' },
      { key: 'Partner', value: 'Is gay', category: 'general' },
      { key: 'Origin', value: 'Kurdish', category: 'general' },
      { key: 'Sağlık', value: 'Depresyon tedavisi görüyor', category: 'general' },
      { key: 'İNANÇ', value: 'Namaz kılıyor', category: 'preferences' },
      { key: 'Siyaset', value: 'Bir partinin üyesi, partili', category: 'general' },
    ];
    for (const fact of sensitive) expect(isSensitiveFact(fact), fact.value).toBe(true);
    const ordinary = [
      { key: 'Studies', value: 'Computer engineering, second year' },
      { key: 'Interests', value: 'Particle physics and dinosaurs' },
      { key: 'Bölüm', value: 'Bilgisayar mühendisliği, ders seçimi yapıyor' },
      { key: 'Answers', value: 'Prefers answers in Turkish with examples' },
    ];
    for (const fact of ordinary) expect(isSensitiveFact(fact), fact.value).toBe(false);
  });

  it('keeps well-formed, new proposals from a reply and counts the sensitive ones it dropped', () => {
    const reply = 'Here you go: [{"key":"Studies","value":"Computer engineering","category":"education"},{"key":"Religion","value":"Christian","category":"general"},{"key":"Language","value":"Turkish","category":"language"},{"key":"x"}]';
    expect(screenProposals(parseProposals(reply), ['language'])).toEqual({
      memories: [{ key: 'Studies', value: 'Computer engineering', category: 'education' }],
      droppedSensitive: 1,
    });
    expect(parseProposals('no json here')).toEqual([]);
  });
});
