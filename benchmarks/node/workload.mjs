// The benchmark workload for @stomp/stompjs on Node with the ws package: the same steps and RESULT lines as
// dev.jstomp.bench.e2e.ClientMain (one producer and one consumer connection, ack auto, no receipts; warm-up,
// timed throughput, round trips with one message in flight, then each larger body size).
//   node workload.mjs port=PORT queue=NAME warmup=20000 messages=100000 size=128 pings=2000 ping-warmup=500 \
//        sizes=16384,1048576 size-budget-mb=32
import { performance } from 'node:perf_hooks';
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

const o = Object.fromEntries(process.argv.slice(2).map((a) => a.split(/=(.*)/s).slice(0, 2)));
const num = (k, d) => Number(o[k] ?? d);
const url = `ws://127.0.0.1:${o.port}/stomp`;
const destination = `/queue/${o.queue}`;
const warmup = Math.max(1, num('warmup', 20000));
const messages = num('messages', 100000);
const size = num('size', 128);
const pings = num('pings', 2000);
const pingWarmup = num('ping-warmup', 500);
const sizes = (o.sizes ?? '').split(',').filter((s) => s.trim() !== '').map(Number);
const budget = num('size-budget-mb', 32) * 1024 * 1024;

const result = (k, v) => process.stdout.write(`RESULT ${k}=${v}\n`);
// Exit when the runner goes away (its end of our standard input closes).
process.stdin.on('end', () => process.exit(3));
process.stdin.resume();

function connect() {
  return new Promise((resolve, reject) => {
    const client = new Client({
      webSocketFactory: () => new WebSocket(url, ['v12.stomp']),
      connectHeaders: { login: o.login ?? 'jstomp', passcode: o.passcode ?? 'jstomp' },
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      reconnectDelay: 0,
      onConnect: () => resolve(client),
      onStompError: (f) => reject(new Error(`STOMP ERROR ${f.headers.message}`)),
      onWebSocketError: (e) => reject(new Error(`WebSocket error ${e.message ?? e}`)),
    });
    client.activate();
  });
}

let count = 0;
let target = Infinity;
let reached = null;
function expect(total) {
  return new Promise((resolve) => {
    target = total;
    reached = resolve;
    if (count >= total) resolve(performance.now());
  });
}
function within(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: ${count} received, not within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const body = (n) => new Uint8Array(n).fill(0x78);

async function run(producer, b, n, seconds) {
  if (n <= 0) return performance.now();
  const done = expect(count + n);
  for (let i = 0; i < n; i++) producer.publish({ destination, binaryBody: b });
  return within(done, seconds, 'run');
}

async function main() {
  const consumer = await connect();
  consumer.subscribe(destination, () => {
    count++;
    if (count === target) reached(performance.now());
  });
  const producer = await connect();
  const b = body(size);
  // performance.now() counts from the process's start: the start-up time, to the first message.
  const first = await run(producer, b, 1, 30);
  result('startup_ms', first.toFixed(1));
  result('process_startup_ms', Math.round(first));
  await run(producer, b, warmup - 1, 60);
  const t0 = performance.now();
  const end = await run(producer, b, messages, 120);
  result('msgs_per_s', (messages / ((end - t0) / 1000)).toFixed(1));
  result('seconds', ((end - t0) / 1000).toFixed(4));
  const rtt = [];
  for (let i = 0; i < pingWarmup + pings; i++) {
    const p0 = performance.now();
    const t = await run(producer, b, 1, 10);
    if (i >= pingWarmup) rtt.push((t - p0) * 1000);
  }
  rtt.sort((x, y) => x - y);
  const pct = (p) => rtt[Math.max(0, Math.min(rtt.length - 1, Math.ceil((p / 100) * rtt.length) - 1))];
  result('p50_us', pct(50).toFixed(1));
  result('p99_us', pct(99).toFixed(1));
  result('max_us', rtt[rtt.length - 1].toFixed(1));
  for (const s of sizes) {
    const big = body(s);
    const n = Math.min(messages, Math.max(100, Math.floor(budget / s)));
    await run(producer, big, Math.max(10, Math.floor(n / 10)), 120);
    const s0 = performance.now();
    const s1 = await run(producer, big, n, 180);
    result(`size_${s}_messages`, n);
    result(`size_${s}_msgs_per_s`, (n / ((s1 - s0) / 1000)).toFixed(1));
  }
  result('done', 'ok');
  await producer.deactivate();
  await consumer.deactivate();
}

main().then(() => process.exit(0), (e) => {
  result('failed', String(e).replace(/[\n,]/g, ' '));
  process.exit(0);
});
