// crash_client.js — the writer of tests/integration/crash.sh: CONC concurrent loops POST
// /v1/cases to 127.0.0.1:PORT and append the id of every case answered 201 to ACKED (one per
// line, written only after the whole response arrived). Connection errors (the server was
// killed) are retried after a short pause. Stops when STOPFILE exists or after MAX requests.
// usage: node crash_client.js PORT TOKEN ACKED STOPFILE [CONC] [MAX]
'use strict';
const http = require('http');
const fs = require('fs');
const [port, token, acked, stopfile] = process.argv.slice(2, 6);
const conc = Number(process.argv[6] || 4);
const max = Number(process.argv[7] || 20000);
let sent = 0, ok = 0, errors = 0, other = 0;

function once(n) {
    return new Promise((resolve) => {
        const body = JSON.stringify({ type: 'export_licence', subtype: 'DSP-5', title: 'crash ' + n,
                                      fields: { destination: 'GBR' } });
        const req = http.request({ host: '127.0.0.1', port: Number(port), method: 'POST', path: '/v1/cases',
            headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json',
                       'Content-Length': Buffer.byteLength(body) }, timeout: 15000 }, (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { data += c; });
            res.on('end', () => {
                if (res.statusCode === 201) {
                    fs.appendFileSync(acked, JSON.parse(data).id + '\n');
                    ok++;
                } else other++;
                resolve(true);
            });
            res.on('error', () => { errors++; resolve(false); });
        });
        req.on('error', () => { errors++; resolve(false); });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.end(body);
    });
}

async function loop(w) {
    while (!fs.existsSync(stopfile) && sent < max) {
        sent++;
        const fine = await once(w + '-' + sent);
        if (!fine) await new Promise((r) => setTimeout(r, 20));
    }
}

Promise.all(Array.from({ length: conc }, (_, i) => loop(i))).then(() => {
    console.log(JSON.stringify({ sent, ok, errors, other }));
});
