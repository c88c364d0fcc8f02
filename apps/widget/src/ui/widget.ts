import type { Chat, ChatState } from '../chat.ts';
import type { WidgetOptions } from '../config.ts';
import { safeColor } from '../config.ts';
import { createTranslator, formatBytes, type Translate } from '../i18n.ts';
import { headerStatus } from '../status.ts';
import { h, icon, label, setText, show } from './dom.ts';
import { buildForm } from './forms.ts';
import { botHolds } from '../timeline.ts';
import { createMessageList } from './messages.ts';
import { STYLES } from './styles.ts';

// The widget's DOM: a launcher and a panel in a shadow root (open: assistive tools and browser tests can reach it; the page's CSS still cannot). It renders ChatState and forwards
// the visitor's actions to the chat controller; it holds no conversation state of its own.

const DEFAULT_COLOR = '#1677ff';

export function mountWidget(chat: Chat, options: WidgetOptions): void {
  const host = document.createElement('div');
  host.id = 'kefu-widget';
  // Inline and !important: the page's own rules for a bare div must not hide or move the host.
  host.style.cssText = 'all:initial!important;position:fixed!important;z-index:2147483000!important;bottom:0!important;right:0!important;display:block!important';
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.appendChild(h('style', null, STYLES));

  let t: Translate = createTranslator(chat.getState().language);
  const tr = () => t;

  // ---- static skeleton (buttons sit outside any form, so none of them submits) ----
  const badge = h('span', { class: 'bd' });
  const launcherLabel = h('span');
  const launcher = h('button', { class: 'la' }, icon('chat'), launcherLabel, badge);
  const name = h('b');
  const status = h('small', { 'aria-live': 'polite' });
  const endButton = h('button', { class: 'end' });
  const closeButton = h('button', { class: 'ic' }, icon('close'));
  const head = h('div', { class: 'hd' }, h('div', null, name, status), endButton, closeButton);
  const bar = h('div', { class: 'bar', role: 'status' });

  const greetingText = h('div', { class: 'bu' });
  const greeting = h('div', { class: 'm' }, greetingText);
  const list = h('div', { role: 'log', 'aria-live': 'polite' });
  const typing = h('div', { class: 'ty' });
  const scroll = h('div', { class: 'sc' }, greeting, list, typing);
  const confirmText = h('span');
  const confirmYes = h('button', { class: 'btn' });
  const confirmNo = h('button', { class: 'btn gh' });
  const confirm = h('div', { class: 'cf' }, confirmText, confirmYes, confirmNo);
  const upload = h('div', { class: 'up', role: 'status' });
  const fileInput = h('input', { type: 'file', hidden: '' });
  const attachButton = h('button', { class: 'ic' }, icon('clip'));
  const input = h('textarea', { rows: '1' });
  const sendButton = h('button', { class: 'ic se' }, icon('send'));
  // 转人工: shown while the bot holds the chat; sends the words, which hand off at once.
  const humanButton = h('button', { class: 'qr hu' });
  const compose = h('div', { class: 'co' }, fileInput, attachButton, input, humanButton, sendButton);
  const chatView = h('div', { class: 'bo' }, scroll, confirm, upload, compose);

  const formHolder = h('div', { class: 'bo' });
  const centerText = h('p');
  const centerButton = h('button', { class: 'btn' });
  const centerView = h('div', { class: 'ce' }, centerText, centerButton);

  const panel = h('div', { class: 'pa', role: 'dialog' }, head, bar, chatView, formHolder, centerView);
  const root = h('div', { class: 'root' }, panel, launcher);
  if (options.position === 'left') root.classList.add('left');
  shadow.appendChild(root);

  const messages = createMessageList(list, options.apiBase, tr, (text) => chat.send(text));
  let formFields: ChatState['fields'] | null = null;
  let confirming = false;

  // ---- actions ----
  launcher.addEventListener('click', () => chat.setOpen(!chat.getState().open));
  closeButton.addEventListener('click', () => chat.setOpen(false));
  endButton.addEventListener('click', () => {
    confirming = true;
    render(chat.getState());
  });
  confirmNo.addEventListener('click', () => {
    confirming = false;
    render(chat.getState());
  });
  confirmYes.addEventListener('click', () => {
    confirming = false;
    void chat.endChat();
  });
  const submitText = () => {
    if (chat.send(input.value)) {
      input.value = '';
      autosize();
    }
  };
  sendButton.addEventListener('click', submitText);
  humanButton.addEventListener('click', () => chat.send(t('human')));
  input.addEventListener('keydown', (e) => {
    // Enter during IME composition (拼音 candidates) confirms the candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitText();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    if (input.value.trim()) chat.typing();
  });
  attachButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) void chat.attach(file);
  });
  centerButton.addEventListener('click', () => {
    const s = chat.getState();
    if (s.view === 'error') void chat.init();
    else if (s.view === 'ended') chat.newChat();
    else chat.setOpen(false);
  });
  bar.addEventListener('click', () => chat.dismissNotice());

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 110)}px`;
  }

  // ---- render ----
  let lastLanguage = '';
  let lastItems: ChatState['items'] | null = null;

  function render(s: ChatState) {
    if (s.language !== lastLanguage) {
      lastLanguage = s.language;
      t = createTranslator(s.language);
      formFields = null; // rebuild forms in the new language
      setText(launcherLabel, t('launcher'));
      label(closeButton, t('close'));
      label(attachButton, t('attach'));
      label(sendButton, t('send'));
      input.placeholder = t('placeholder');
      setText(endButton, t('endChat'));
      setText(confirmText, t('endConfirm'));
      setText(confirmYes, t('endYes'));
      setText(confirmNo, t('cancel'));
      setText(typing, t('typing'));
      setText(humanButton, t('human'));
    }
    const config = s.config;
    root.style.setProperty('--kc', options.color ?? safeColor(config?.color) ?? DEFAULT_COLOR);
    root.classList.toggle('open', s.open);
    show(panel, s.open);
    launcher.setAttribute('aria-expanded', String(s.open));
    setText(badge, s.unread ? String(Math.min(s.unread, 99)) : '');
    show(badge, s.unread > 0 && !s.open);

    const title = config?.name || t('launcher');
    setText(name, title);
    panel.setAttribute('aria-label', title);
    const live = s.view === 'chat' && s.conversationId !== null;
    const bot = live && botHolds(s.items);
    setText(status, bot ? t('botServing') : headerStatus({ ...s, closed: !!config && !config.open && !s.conversationId }, t));
    show(humanButton, bot);
    show(endButton, live && !confirming);

    const barText = s.notice
      ? t(s.notice, { n: 4000 })
      : live && (s.link === 'connecting' || s.link === 'retrying')
        ? t('connecting')
        : live && s.link === 'fallback'
          ? t('polling')
          : '';
    setText(bar, barText);
    bar.className = s.notice ? 'bar err' : 'bar';
    show(bar, barText !== '');

    // chat view
    show(chatView, s.view === 'chat');
    if (s.view === 'chat' && config) {
      setText(greetingText, config.greeting);
      show(greeting, config.greeting !== '');
      const nearBottom = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 60;
      if (s.items !== lastItems) {
        const grewByMe = s.items.length > (lastItems?.length ?? 0) && s.items[s.items.length - 1]?.senderType === 'customer';
        messages.render(s.items);
        if (nearBottom || grewByMe) scroll.scrollTop = scroll.scrollHeight;
        lastItems = s.items;
      }
      show(typing, s.agentTyping);
      if (s.agentTyping && nearBottom) scroll.scrollTop = scroll.scrollHeight;
      show(confirm, confirming && live);
      show(attachButton, config.allowedUploadTypes.length > 0);
      attachButton.disabled = s.upload !== null && 'percent' in s.upload;
      fileInput.accept = config.allowedUploadTypes.join(',');
      const up = s.upload;
      setText(upload, !up ? '' : 'percent' in up ? t('uploading', { name: up.name, pct: up.percent }) : t(up.error, { max: formatBytes(up.max ?? 0) }));
      upload.className = up && 'error' in up ? 'up err' : 'up';
      show(upload, up !== null);
    }

    // forms
    const formView = s.view === 'prechat' || s.view === 'leave';
    show(formHolder, formView);
    if (formView && s.fields !== formFields) {
      formFields = s.fields;
      const intro = s.view === 'prechat' ? 'preChatTitle' : s.leave.reason === 'busy' ? 'leaveBusy' : 'leaveClosed';
      formHolder.replaceChildren(buildForm(t(intro), s.fields, s.view === 'prechat' ? 'start' : 'submit', t, chat.submitForm));
    }

    // one-line views
    const center = centerContent(s, t);
    show(centerView, center !== null);
    if (center) {
      setText(centerText, center.text);
      setText(centerButton, center.button ?? '');
      show(centerButton, center.button !== null);
    }
  }

  chat.subscribe(render);
  render(chat.getState());
  document.addEventListener('visibilitychange', () => chat.visibilityChanged());
  window.addEventListener('online', () => chat.online());
  document.body.appendChild(host);
}

function centerContent(s: ChatState, t: Translate): { text: string; button: string | null } | null {
  switch (s.view) {
    case 'loading':
      return { text: t('connecting'), button: null };
    case 'error':
      return { text: t('loadFailed'), button: t('retry') };
    case 'left':
      return { text: t('leftThanks'), button: t('close') };
    case 'ended':
      // The survey (follow-up) will render here; see ../survey.ts.
      return { text: t('thanks'), button: t('newChat') };
    default:
      return null;
  }
}
