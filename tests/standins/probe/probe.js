// Stand-in for grpc-ecosystem/grpc-health-probe, for fastlint's engine tests.
//
// The real probe is a Go binary downloaded from GitHub, which these machines cannot reach. This one is a real
// grpc.health.v1 client: it calls grpc.health.v1.Health/Check on -addr for -service and exits 0 only when the
// answer is SERVING, with the real probe's flags, messages and exit codes:
//   0 SERVING, 1 invalid arguments, 2 connection failure, 3 RPC failure, 4 not SERVING.
// esbuild bundles it with @grpc/grpc-js into one file that starts with `#!/usr/bin/env node`, so it needs a
// `node` on PATH (node:20-alpine has one). The messages are encoded by hand (two one-field messages), so the
// bundle needs no protobuf library.
'use strict';

const grpc = require('@grpc/grpc-js');

const EXIT = { OK: 0, INVALID_ARGUMENTS: 1, CONNECTION_FAILURE: 2, RPC_FAILURE: 3, UNHEALTHY: 4 };
const STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** Parse a Go duration ("1s", "500ms", "1m30s") into milliseconds; NaN when it is not one. */
function parseDuration(text) {
  const units = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m;
  if (text === '0') return 0;
  while ((m = re.exec(text)) !== null) {
    total += parseFloat(m[1]) * units[m[2]];
    matched = re.lastIndex;
  }
  return matched === text.length && matched > 0 ? total : NaN;
}

/** Go's flag syntax: -name=value, --name=value, -name value; boolean flags take no value. */
function parseArgs(argv) {
  const options = {
    addr: '', service: '', 'connect-timeout': '1s', 'rpc-timeout': '1s', 'user-agent': 'grpc_health_probe',
    v: false,
  };
  const booleans = new Set(['v', 'tls', 'tls-no-verify', 'alts', 'spiffe', 'gzip']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--?([A-Za-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new Error(`unexpected argument: ${arg}`);
    const name = m[1];
    let value = m[2];
    if (booleans.has(name)) {
      if (name !== 'v' && value !== 'false') throw new Error(`flag -${name} is not supported by this stand-in`);
      options[name] = value === undefined ? true : value === 'true';
      continue;
    }
    if (!(name in options) && !['tls-ca-cert', 'tls-client-cert', 'tls-client-key', 'tls-server-name'].includes(name)) {
      throw new Error(`flag provided but not defined: -${name}`);
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new Error(`flag needs an argument: -${name}`);
      value = argv[++i];
    }
    options[name] = value;
  }
  if (!options.addr) throw new Error('-addr not specified');
  for (const name of ['connect-timeout', 'rpc-timeout']) {
    const ms = parseDuration(options[name]);
    if (!(ms > 0)) throw new Error(`-${name} must be greater than zero (specified: ${options[name]})`);
    options[name] = ms;
  }
  return options;
}

/** HealthCheckRequest{service = 1}: one length-delimited field. */
function encodeRequest(service) {
  const bytes = Buffer.from(service, 'utf8');
  if (bytes.length === 0) return Buffer.alloc(0);
  const len = [];
  let n = bytes.length;
  while (n > 0x7f) { len.push((n & 0x7f) | 0x80); n >>>= 7; }
  len.push(n);
  return Buffer.concat([Buffer.from([0x0a, ...len]), bytes]);
}

/** HealthCheckResponse{status = 1}: read field 1 (varint), skip anything else. */
function decodeResponse(buffer) {
  let pos = 0;
  let status = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buffer.length) throw new Error('truncated HealthCheckResponse');
      const b = buffer[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (pos < buffer.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) { const v = varint(); if (field === 1) status = v; }
    else if (wire === 2) { pos += varint(); }
    else if (wire === 1) { pos += 8; }
    else if (wire === 5) { pos += 4; }
    else throw new Error(`unexpected wire type ${wire} in HealthCheckResponse`);
  }
  return status;
}

function formatMs(ms) {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n`);
    return process.exit(EXIT.INVALID_ARGUMENTS);
  }
  const client = new grpc.Client(options.addr, grpc.credentials.createInsecure(), {
    'grpc.primary_user_agent': options['user-agent'],
  });
  const connectDeadline = Date.now() + options['connect-timeout'];
  client.waitForReady(connectDeadline, (connectError) => {
    if (connectError) {
      process.stderr.write(
        `timeout: failed to connect service ${JSON.stringify(options.addr)} within ${formatMs(options['connect-timeout'])}\n`);
      client.close();
      return process.exit(EXIT.CONNECTION_FAILURE);
    }
    if (options.v) process.stderr.write(`establishing connection to ${options.addr}: ok\n`);
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      encodeRequest,
      decodeResponse,
      options.service,
      new grpc.Metadata(),
      { deadline: Date.now() + options['rpc-timeout'] },
      (rpcError, status) => {
        client.close();
        if (rpcError) {
          if (rpcError.code === grpc.status.UNIMPLEMENTED) {
            process.stderr.write(`error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${rpcError.details}\n`);
          } else if (rpcError.code === grpc.status.DEADLINE_EXCEEDED) {
            process.stderr.write(`timeout: health rpc did not complete within ${formatMs(options['rpc-timeout'])}\n`);
          } else {
            process.stderr.write(`error: health rpc failed: rpc error: code = ${grpc.status[rpcError.code]} desc = ${rpcError.details}\n`);
          }
          return process.exit(EXIT.RPC_FAILURE);
        }
        const name = STATUS_NAMES[status] || String(status);
        if (status !== 1) {
          process.stderr.write(`service unhealthy (responded with ${JSON.stringify(name)})\n`);
          return process.exit(EXIT.UNHEALTHY);
        }
        process.stdout.write(`status: ${name}\n`);
        return process.exit(EXIT.OK);
      });
  });
}

main();
