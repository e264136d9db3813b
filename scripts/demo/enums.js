'use strict';

/** @param {typeof import('../..')} ffi */
module.exports = function demoEnums(ffi) {
  const shapes = [
    { kind: 'circle', radius: 1 },
    { kind: 'rectangle', width: 3, height: 4 },
    { kind: 'triangle', a: 3, b: 4, c: 5 },
  ];
  for (const shape of shapes) {
    console.log(`shapeArea(${JSON.stringify(shape)}) =`, ffi.shapeArea(shape));
  }
  const bigger = ffi.scaleShape(shapes[2], 2);
  console.log('scaleShape(triangle 3-4-5, 2) =', bigger, '-> area', ffi.shapeArea(bigger));
  try {
    ffi.shapeArea({ kind: 'triangle', a: 1, b: 2, c: 10 });
  } catch (err) {
    console.log(`shapeArea(triangle 1-2-10) throws ${err.name} ${err.status}: ${err.message}`);
  }
  try {
    ffi.shapeArea({ kind: 'hexagon', side: 1 });
  } catch (err) {
    console.log(`shapeArea({ kind: 'hexagon' }) throws ${err.name}: ${err.message}`);
  }
};
