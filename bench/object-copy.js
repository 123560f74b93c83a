// How long a shallow copy with one or two more fields takes, by the ways the per-message path could make it
// (libs/platform/src/objects/copy-with.ts). Node 20's V8 is slow at `{ ...base, extra }`; prints ns a copy and the
// ratio to Object.assign, for a send's payload (parsed JSON, 3 fields) and a stored message's view (17 fields).
const N = Number(process.env.N ?? 300_000);

const payloads = Array.from({ length: N }, (_, i) => JSON.parse(`{"clientMessageId":"c${i}","chatId":"chat-${i % 500}","text":"load ${i}"}`));
const views = Array.from({ length: N }, (_, i) => ({
  id: `0193a1b2-c3d4-7e5f-8a9b-${String(i).padStart(12, '0')}`, chatId: `chat-${i % 500}`, seq: i, senderId: 'u1', clientMessageId: `c${i}`,
  text: `load ${i}`, image: null, file: null, replyTo: null, createdAt: new Date(i).toISOString(), editedAt: null, deletedAt: null,
  system: null, reactions: [], forwarded: null, mentions: [], pinned: false,
}));

const ways = {
  'Object.assign({}, base, fields)': (base) => Object.assign({}, base, { unreadCount: 3, sentFrom: 's1' }),
  '{ ...base, extra }': (base) => ({ ...base, unreadCount: 3, sentFrom: 's1' }),
  '{ ...base } alone': (base) => ({ ...base }),
};

for (const [name, objects] of [['payload', payloads], ['view', views]]) {
  const ns = {};
  for (let round = 0; round < 3; round++) {
    for (const [way, copy] of Object.entries(ways)) {
      let sink = 0;
      const start = process.hrtime.bigint();
      for (const base of objects) sink += copy(base).chatId.length;
      const took = Number(process.hrtime.bigint() - start) / objects.length;
      if (sink === 0) throw new Error('nothing copied');
      ns[way] = Math.min(ns[way] ?? Infinity, took); // the best of three rounds: the machine is shared
    }
  }
  const baseline = ns['Object.assign({}, base, fields)'];
  for (const [way, took] of Object.entries(ns)) console.log(`${name.padEnd(8)} ${way.padEnd(32)} ${took.toFixed(0).padStart(6)} ns  ${(took / baseline).toFixed(2)}x`);
}
