module.exports = require('./pg-global').setup;
