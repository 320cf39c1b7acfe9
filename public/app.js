/*
 * The chat page: Bot Framework Web Chat connected to the bot's own Direct Line (data-directline on
 * .chat-shell) over its WebSocket stream, the BM / EN toggle, the reconnecting banner and the message counter.
 * No inline script anywhere, so the page runs under a strict Content-Security-Policy (script-src 'self').
 *
 * The conversation survives a reload and a server restart:
 * - its id, token and watermark are kept in sessionStorage (this tab only; gone when the tab closes). A reload
 *   reconnects to the same conversation (GET /conversations/{id}?watermark=0: Web Chat keeps its transcript in
 *   memory only, so the stream replays it from the start); a conversation that cannot be resumed (its token or
 *   lifetime expired, purged) is replaced by a new one;
 * - when the stream closes (a restart, a network drop) botframework-directlinejs asks for a new streamUrl from
 *   its watermark and reconnects (after 3 to 15 seconds, then every 20 seconds while the server does not
 *   answer); meanwhile the page shows a "reconnecting" banner (the page's WebSocket is watched, see below).
 *
 * Language: the page's own words (data-ms / data-en attributes rendered by the server from the message
 * catalog), Web Chat's locale (timestamps, its labels) and the toggle follow the language the bot answers in
 * (each reply carries `locale`: the customer's language as the bot detected it). The toggle switches them too
 * and tells the bot: { type: 'event', name: 'setLanguage', value: 'ms' | 'en' }.
 */
(function () {
  'use strict';

  var shell = document.querySelector('.chat-shell');
  var container = document.getElementById('webchat');
  var errorBox = document.querySelector('.chat-error');
  var banner = document.querySelector('.chat-reconnecting');
  var counter = document.querySelector('.chat-counter');
  var base = shell.getAttribute('data-directline') || '/directline';
  var maxChars = Number(shell.getAttribute('data-max-chars')) || 2000;
  var LANG_KEY = 'support-chat.lang';
  var SESSION_KEY = 'support-chat.conversation';

  var lang = document.documentElement.lang === 'en' ? 'en' : 'ms';
  var explicit = /[?&]lang=(ms|en)\b/.test(window.location.search);
  if (!explicit) {
    try {
      var savedLang = window.localStorage.getItem(LANG_KEY);
      if (savedLang === 'ms' || savedLang === 'en') lang = savedLang;
    } catch (e) {
      /* storage blocked: keep the server's choice */
    }
  }

  var directLine = null;
  var store = null;
  var userID = null;
  var ended = false;

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
    // a photo or a PDF can be attached (the server checks type and size, and answers in the customer's language)
    hideUploadButton: false,
    // no thumbnail made in the browser (Web Chat would run a worker from a blob: URL, which the page's CSP refuses)
    enableUploadThumbnail: false,
    maxMessageLength: maxChars,
    sendBoxBackground: '#ffffff',
    // the timestamp's grey on the page's background meets WCAG AA contrast (Web Chat's default does not)
    subtle: '#5a6570',
    suggestedActionLayout: 'flow',
    suggestedActionBorderRadius: 16,
    suggestedActionHeight: 'auto',
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
    updateCounter();
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
    banner.hidden = true;
    shell.classList.add('has-error');
  }

  function setReconnecting(on) {
    banner.hidden = !on || ended;
    shell.classList.toggle('is-reconnecting', on && !ended);
  }

  /** `next`: the language; `tellBot`: the customer chose it (the toggle), so the bot is told. */
  function setLang(next, tellBot) {
    if (next !== 'ms' && next !== 'en') return;
    var changed = next !== lang;
    lang = next;
    try {
      window.localStorage.setItem(LANG_KEY, lang);
    } catch (e) {
      /* storage blocked: the choice lasts for this page */
    }
    if (!changed) return;
    translate();
    if (!directLine) return;
    render();
    if (tellBot) store.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'setLanguage', value: lang } });
  }

  /* --- the conversation, kept for this tab ------------------------------------------------------------ */

  function loadSession() {
    try {
      var value = JSON.parse(window.sessionStorage.getItem(SESSION_KEY) || 'null');
      if (value && typeof value.conversationId === 'string' && typeof value.token === 'string') return value;
    } catch (e) {
      /* storage blocked or garbled: a new conversation */
    }
    return null;
  }

  function saveSession() {
    if (!directLine || !directLine.conversationId || !directLine.token) return;
    try {
      window.sessionStorage.setItem(
        SESSION_KEY,
        JSON.stringify({
          conversationId: directLine.conversationId,
          token: directLine.token,
          watermark: directLine.watermark || '',
          userId: userID
        })
      );
    } catch (e) {
      /* storage blocked: a reload starts a new conversation */
    }
  }

  function clearSession() {
    try {
      window.sessionStorage.removeItem(SESSION_KEY);
    } catch (e) {
      /* nothing kept */
    }
  }

  /*
   * The browser's WebSocket, watched: when the conversation's stream closes the banner shows until the next
   * stream opens. Web Chat's createDirectLine passes only some options on to botframework-directlinejs (not its
   * WebSocket service), which uses the global WebSocket: the page's global is replaced by a watching one before
   * Web Chat creates any socket. Other sockets are left alone.
   */
  var NativeWebSocket = window.WebSocket;
  if (NativeWebSocket) {
    var WatchedWebSocket = function (url, protocols) {
      var ws = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
      if (/\/conversations\/[^/]+\/stream(\?|$)/.test(String(url))) {
        ws.addEventListener('open', function () {
          setReconnecting(false);
        });
        ws.addEventListener('close', function () {
          setReconnecting(true);
        });
      }
      return ws;
    };
    WatchedWebSocket.prototype = NativeWebSocket.prototype;
    ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (name) {
      WatchedWebSocket[name] = NativeWebSocket[name];
    });
    window.WebSocket = WatchedWebSocket;
  }

  /** The bot's replies say which language it speaks: the page follows. */
  function followBot(activity) {
    if (!activity || activity.type !== 'message' || !activity.from || activity.from.role !== 'bot') return;
    var locale = typeof activity.locale === 'string' ? activity.locale.toLowerCase() : '';
    if (locale.indexOf('en') === 0) setLang('en', false);
    else if (locale.indexOf('ms') === 0) setLang('ms', false);
  }

  function connect(options, resumed) {
    directLine = window.WebChat.createDirectLine(
      Object.assign(
        { domain: window.location.origin + base },
        options
      )
    );
    store = window.WebChat.createStore();
    var online = false;
    directLine.connectionStatus$.subscribe(function (status) {
      // botframework-directlinejs ConnectionStatus: 2 Online, 3 ExpiredToken, 4 FailedToConnect, 5 Ended
      if (status === 2) {
        online = true;
        saveSession();
      } else if (status === 4 && resumed && !online) {
        // the kept conversation cannot be resumed (expired, purged): a new one
        resumed = false;
        clearSession();
        fresh();
      } else if (status === 3 || status === 4 || status === 5) {
        ended = true;
        showError();
      }
    });
    directLine.activity$.subscribe(function (activity) {
      followBot(activity);
      saveSession();
    });
    // for an embedding page (and the tests): the Direct Line connection and Web Chat's store in use
    window.supportChat = { directLine: directLine, store: store };
    container.textContent = '';
    render();
  }

  function fresh() {
    fetch(base + '/tokens/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      .then(function (res) {
        if (!res.ok) throw new Error('token: HTTP ' + res.status);
        return res.json();
      })
      .then(function (conversation) {
        userID = conversation.userId;
        connect({ token: conversation.token, conversationStartProperties: { locale: webChatLocale(lang) } }, false);
      })
      .catch(showError);
  }

  function start() {
    if (!window.WebChat) return showError();
    var session = loadSession();
    if (session) {
      userID = session.userId;
      // watermark 0: the stream replays the whole conversation into the new page
      connect({ token: session.token, conversationId: session.conversationId, watermark: '0' }, true);
    } else fresh();
  }

  /* --- the message limit ------------------------------------------------------------------------------ */

  function input() {
    return container.querySelector('[data-id="webchat-sendbox-input"]');
  }

  function updateCounter() {
    var box = input();
    if (!box || !counter) return;
    if (box.getAttribute('maxlength') !== String(maxChars)) box.setAttribute('maxlength', String(maxChars));
    var count = box.value.length;
    // shown once the message is long enough to matter (the last fifth of the limit)
    var near = count >= maxChars * 0.8;
    counter.hidden = !near;
    var full = count >= maxChars;
    counter.classList.toggle('is-full', full);
    var template = shell.getAttribute((full ? 'data-counter-full-' : 'data-counter-') + lang) || '';
    counter.textContent = template.replace('{count}', String(count)).replace('{max}', String(maxChars));
  }

  // Web Chat re-renders its send box: the limit is set again whenever the box is replaced
  new MutationObserver(updateCounter).observe(container, { childList: true, subtree: true });
  container.addEventListener('input', updateCounter, true);

  var toggles = document.querySelectorAll('.lang-button');
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].addEventListener('click', function (event) {
      setLang(event.currentTarget.getAttribute('data-lang'), true);
    });
  }
  translate();
  start();
})();
