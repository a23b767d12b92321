// A tiny grpc.health.v1 server for testing the stand-in probe: `node health_server.js PORT STATUS [SERVICE]`.
// It answers Health/Check with STATUS (SERVING, NOT_SERVING, ...) for SERVICE (and for ""), SERVICE_UNKNOWN
// otherwise; it prints "listening PORT" when ready and stops by itself after 120 seconds.
'use strict';
const grpc = require('@grpc/grpc-js');

const [port, statusName, serviceName = ''] = process.argv.slice(2);
const STATUS = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 };
const decodeService = (buf) => ({ service: buf.length > 2 && buf[0] === 0x0a ? buf.subarray(2, 2 + buf[1]).toString() : '' });
const encodeStatus = (status) => Buffer.from([0x08, status]);

const server = new grpc.Server();
server.addService({
  Check: {
    path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false,
    requestDeserialize: decodeService, responseSerialize: encodeStatus,
    requestSerialize: () => Buffer.alloc(0), responseDeserialize: () => 0,
  },
}, {
  Check: (call, callback) => {
    const known = call.request.service === '' || call.request.service === serviceName;
    callback(null, known ? STATUS[statusName] : STATUS.SERVICE_UNKNOWN);
  },
});
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
  if (err) { console.error(err.message); process.exit(1); }
  console.log(`listening ${bound}`);
});
setTimeout(() => process.exit(0), 120000).unref();
