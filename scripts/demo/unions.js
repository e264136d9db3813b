'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoUnions(ffi) {
  const hex = (n) => '0x' + n.toString(16).padStart(8, '0');
  console.log('floatToBits(1) =', hex(ffi.floatToBits(1)), '(IntOrFloat: write as_float, read as_int)');
  console.log('floatToBits(-2.5) =', hex(ffi.floatToBits(-2.5)));
  console.log('bitsToFloat(0x40490fdb) =', ffi.bitsToFloat(0x40490fdb), '(π as a float)');
  console.log(
    'floatToBits(0.1) =',
    hex(ffi.floatToBits(0.1)),
    '-> bitsToFloat gives',
    ffi.bitsToFloat(ffi.floatToBits(0.1)),
  );

  console.log('\n== tagged unions (Either) ==');
  for (const text of ['42', '4.5', '-1e3', '2147483648', 'nan', ' 7']) {
    try {
      console.log(`parseNumber(${JSON.stringify(text)}) =`, ffi.parseNumber(text));
    } catch (err) {
      console.log(`parseNumber(${JSON.stringify(text)}) throws ${err.name} ${err.status}`);
    }
  }
};
