module.exports = require('./pg-global').teardown;
