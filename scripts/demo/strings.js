'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoStrings(ffi) {
  console.log('concatStrings("Hello, ", "Rustacean!") =', JSON.stringify(ffi.concatStrings('Hello, ', 'Rustacean!')));
  console.log('concatStrings("🦀", " crab") =', JSON.stringify(ffi.concatStrings('🦀', ' crab')));
  console.log('countCharacters("héllo 🦀") =', ffi.countCharacters('héllo 🦀'));
  try {
    ffi.countCharacters(new Uint8Array([0x68, 0xff]));
  } catch (err) {
    console.log(`countCharacters(bytes 68 ff) throws ${err.name} ${err.status}: ${err.message}`);
  }
  console.log(
    'concatStrings("a\\0b", "c") =',
    JSON.stringify(ffi.concatStrings('a\0b', 'c')),
    '(text goes with its length)',
  );
  try {
    ffi.concatStrings('\uD83D', 'c');
  } catch (err) {
    console.log(`concatStrings("\\uD83D", "c") throws ${err.name} ${err.code}: ${err.message}`);
  }
};
