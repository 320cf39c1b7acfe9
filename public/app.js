/*
 * The chat page: Bot Framework Web Chat connected to the bot's own Direct Line (data-directline on
 * .chat-shell), and the BM / EN toggle. No inline script anywhere, so the page runs under a strict
 * Content-Security-Policy (script-src 'self').
 *
 * The toggle switches the page's own words (data-ms / data-en attributes rendered by the server from the
 * message catalog), Web Chat's locale (sent as every activity's locale) and tells the bot:
 * { type: 'event', name: 'setLanguage', value: 'ms' | 'en' }.
 */
(function () {
  'use strict';

  var shell = document.querySelector('.chat-shell');
  var container = document.getElementById('webchat');
  var errorBox = document.querySelector('.chat-error');
  var base = shell.getAttribute('data-directline') || '/directline';
  var STORAGE_KEY = 'support-chat.lang';

  var lang = document.documentElement.lang === 'en' ? 'en' : 'ms';
  var explicit = /[?&]lang=(ms|en)\b/.test(window.location.search);
  if (!explicit) {
    try {
      var saved = window.localStorage.getItem(STORAGE_KEY);
      if (saved === 'ms' || saved === 'en') lang = saved;
    } catch (e) {
      /* storage blocked: keep the server's choice */
    }
  }

  var directLine = null;
  var store = null;
  var userID = null;

  var styleOptions = {
    accent: '#0b5cad',
    backgroundColor: '#f7f9fc',
    bubbleBackground: '#ffffff',
    bubbleBorderColor: '#d8e0ea',
    bubbleBorderRadius: 10,
    bubbleFromUserBackground: '#0b5cad',
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderColor: '#0b5cad',
    bubbleFromUserBorderRadius: 10,
    hideUploadButton: true,
    sendBoxBackground: '#ffffff',
    suggestedActionLayout: 'flow',
    suggestedActionBorderRadius: 16,
    primaryFont: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    rootHeight: '100%',
    rootWidth: '100%'
  };

  function webChatLocale(l) {
    return l === 'en' ? 'en-US' : 'ms-MY';
  }

  /** The page's own words in the current language. */
  function translate() {
    document.documentElement.lang = lang;
    var nodes = document.querySelectorAll('[data-ms][data-en]');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = nodes[i].getAttribute('data-' + lang);
    var titled = document.querySelectorAll('[data-title-ms][data-title-en]');
    for (var j = 0; j < titled.length; j++) titled[j].setAttribute('title', titled[j].getAttribute('data-title-' + lang));
    var labelled = document.querySelectorAll('[data-aria-ms][data-aria-en]');
    for (var k = 0; k < labelled.length; k++) labelled[k].setAttribute('aria-label', labelled[k].getAttribute('data-aria-' + lang));
    var buttons = document.querySelectorAll('.lang-button');
    for (var b = 0; b < buttons.length; b++) {
      var on = buttons[b].getAttribute('data-lang') === lang;
      buttons[b].setAttribute('aria-pressed', on ? 'true' : 'false');
      buttons[b].classList.toggle('is-active', on);
    }
  }

  function render() {
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: store,
        userID: userID,
        locale: webChatLocale(lang),
        styleOptions: styleOptions,
        overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: shell.getAttribute('data-placeholder-' + lang) }
      },
      container
    );
  }

  function showError() {
    errorBox.hidden = false;
    shell.classList.add('has-error');
  }

  function setLang(next) {
    if (next !== 'ms' && next !== 'en') return;
    var changed = next !== lang;
    lang = next;
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch (e) {
      /* storage blocked: the choice lasts for this page */
    }
    translate();
    if (!directLine) return;
    render();
    if (changed) store.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'setLanguage', value: lang } });
  }

  function start() {
    if (!window.WebChat) return showError();
    fetch(base + '/tokens/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      .then(function (res) {
        if (!res.ok) throw new Error('token: HTTP ' + res.status);
        return res.json();
      })
      .then(function (conversation) {
        userID = conversation.userId;
        directLine = window.WebChat.createDirectLine({
          domain: window.location.origin + base,
          token: conversation.token,
          webSocket: false,
          pollingInterval: 500,
          conversationStartProperties: { locale: webChatLocale(lang) }
        });
        store = window.WebChat.createStore();
        directLine.connectionStatus$.subscribe(function (status) {
          // 4: FailedToConnect, 5: Ended (botframework-directlinejs ConnectionStatus)
          if (status === 4 || status === 5) showError();
        });
        container.textContent = '';
        render();
      })
      .catch(showError);
  }

  var toggles = document.querySelectorAll('.lang-button');
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].addEventListener('click', function (event) {
      setLang(event.currentTarget.getAttribute('data-lang'));
    });
  }
  translate();
  start();
})();
