// The same in a Worker with Node's default resources (no flags): three copies of the package nest 768 deep.
const { Worker } = require('node:worker_threads');
const w = new Worker(require.resolve('./nest-instances.js'), { argv: [process.argv[2] || '3'] });
w.on('exit', (c) => console.log('worker exit', c));
