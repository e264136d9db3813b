// Another package (or the application) configures koffi with a smaller synchronous stack before this package
// loads (koffi.config is allowed until the first library is loaded): MAX_CALLBACK_DEPTH (256) assumes koffi's
// default 2 MiB. Usage: node koffi-small-stack.js [sync_stack_size]
const koffi = require('koffi');
const size = Number(process.argv[2] || 256 * 1024);
koffi.config({ ...koffi.config(), sync_stack_size: size });
const api = require('../../dist');
console.log('koffi sync_stack_size', koffi.config().sync_stack_size, 'MAX_CALLBACK_DEPTH', api.MAX_CALLBACK_DEPTH);
let level = 0;
const nest = () => {
  level++;
  return api.countWhere([1], nest);
};
try {
  nest();
} catch (e) {
  console.log('stopped at level', level, e.code);
}
