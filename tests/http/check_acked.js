// check_acked.js — reads case ids (one per line) from FILE and GETs each from 127.0.0.1:PORT
// with TOKEN over keep-alive connections; prints {"checked":N,"missing":[ids not answered 200]}.
// usage: node check_acked.js PORT TOKEN FILE
'use strict';
const http = require('http');
const fs = require('fs');
const [port, token, file] = process.argv.slice(2, 5);
const ids = fs.readFileSync(file, 'utf8').split('\n').filter((s) => s.length > 0);
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const missing = [];

function get(id) {
    return new Promise((resolve) => {
        http.get({ host: '127.0.0.1', port: Number(port), path: '/v1/cases/' + encodeURIComponent(id), agent,
                   headers: { 'Authorization': 'Bearer ' + token } }, (res) => {
            let data = '';
            res.on('data', (c) => { data += c; });
            res.on('end', () => {
                if (res.statusCode !== 200 || JSON.parse(data).id !== id) missing.push(id);
                resolve();
            });
        }).on('error', () => { missing.push(id); resolve(); });
    });
}

(async () => {
    for (let i = 0; i < ids.length; i += 8)
        await Promise.all(ids.slice(i, i + 8).map(get));
    agent.destroy();
    console.log(JSON.stringify({ checked: ids.length, missing }));
})();
