'use strict';

/** @param {typeof import('../..')} _ffi */
module.exports = function demo(_ffi) {
  console.log('(enums: not implemented yet)');
};
