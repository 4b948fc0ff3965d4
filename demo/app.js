// The demo app, shared by the ESM page (index.html) and the script-tag page (umd.html).
// It only knows content ids, manifests and the token endpoint: keys stay on the server.
//
// Rule of this file: every text that came from a server, a URL or an error is put
// on the page with textContent (never as HTML), and every rights URL goes through
// redactTokens first — tokens are bearer credentials.

const SETTINGS_KEY = 'expressplay-eme-demo-settings';
const SECURITY_LEVELS = {
  1: 'SW_SECURE_CRYPTO',
  2: 'SW_SECURE_DECODE',
  3: 'HW_SECURE_CRYPTO',
  4: 'HW_SECURE_DECODE',
  5: 'HW_SECURE_ALL',
};
const DRM_NAMES = { widevine: 'Widevine', fairplay: 'FairPlay', playready: 'PlayReady', clearkey: 'ClearKey' };

/** Plain-language hints per error category (the catalog gives the precise message). */
const HINTS = {
  auth: 'The token was refused, or the back end used a wrong customerAuthenticator (a test key on production or the reverse is -2018). Check the back end’s configuration; the browser cannot fix this.',
  input:
    'A value sent to ExpressPlay is invalid — usually the back end’s token parameters (key, kid, policy) or the content id.',
  quota: 'The account has no tokens left or requests come too fast; retry later or check the account.',
  device: 'This device cannot satisfy the license policy (security level, HDCP).',
  server: 'A server failed (ExpressPlay, the token endpoint or the license server). Retrying later may help.',
  network: 'The request did not reach the server: offline, DNS, or a CORS set-up that does not allow this page.',
  timeout: 'A server did not answer in time.',
  aborted: 'The request was cancelled (playback stopped or the source changed).',
  policy:
    'The library refused to send the request: the rights URL is not https, or its host is not in the allowlist (Settings → allowed rights hosts).',
  unsupported: 'This browser has no usable DRM for this content.',
};

/* ------------------------------------------------------------ tiny DOM helper */

/** Creates an element; string children become text nodes (never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === undefined || v === null) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

function buildApp() {
  const option = (value, label, checked) =>
    h('label', {}, h('input', { type: 'radio', name: 'adapter', value, checked }), ` ${label}`);
  const field = (label, input) => h('label', {}, label, ' ', input);
  return h(
    'div',
    { class: 'app' },
    h(
      'section',
      { class: 'controls', 'aria-label': 'Playback' },
      h(
        'fieldset',
        {},
        h('legend', { text: 'Player' }),
        option('shaka', 'Shaka Player', true),
        option('videojs', 'Video.js', false),
        option('hlsjs', 'hls.js', false),
        option('dashjs', 'dash.js', false),
      ),
      h('label', { class: 'stream' }, 'Stream ', h('select', { name: 'stream' })),
      h('button', { type: 'button', id: 'play', text: 'Play' }),
      h('button', { type: 'button', id: 'stop', disabled: true, text: 'Stop' }),
      h('p', { class: 'mode-note' }),
    ),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { class: 'player-col', 'aria-label': 'Video' },
        h('div', { id: 'player' }),
        h(
          'div',
          { id: 'error', class: 'error', role: 'alert', hidden: true },
          h('h2', {}, 'Error ', h('span', { class: 'code' })),
          h('p', { class: 'message' }),
          h('p', { class: 'hint' }),
          h('dl', { class: 'facts' }),
        ),
        h(
          'details',
          { id: 'settings' },
          h('summary', { text: 'Settings: point the page at a real token endpoint' }),
          h(
            'form',
            { id: 'settings-form' },
            h(
              'fieldset',
              {},
              h('legend', { text: 'Back end' }),
              h(
                'label',
                {},
                h('input', { type: 'radio', name: 'backend', value: 'emulator', checked: true }),
                ' Local emulator (npm start)',
              ),
              h(
                'label',
                {},
                h('input', { type: 'radio', name: 'backend', value: 'custom' }),
                ' My token endpoint (e.g. on ExpressPlay’s test service)',
              ),
            ),
            h(
              'div',
              { class: 'custom-fields' },
              field(
                'Token endpoint URL',
                h('input', {
                  name: 'tokenEndpoint',
                  type: 'url',
                  placeholder: 'https://my-site.example/api/expressplay-token',
                }),
              ),
              field(
                'Allowed rights hosts (comma-separated)',
                h('input', { name: 'allowedRightsHosts', placeholder: '*.expressplay.com' }),
              ),
              field(
                'Manifest URL',
                h('input', { name: 'manifest', type: 'url', placeholder: 'https://cdn.example/movie/manifest.mpd' }),
              ),
              field(
                'Manifest type',
                h(
                  'select',
                  { name: 'manifestType' },
                  h('option', { value: 'application/dash+xml', text: 'DASH (.mpd)' }),
                  h('option', { value: 'application/x-mpegURL', text: 'HLS (.m3u8)' }),
                ),
              ),
              field('Content id', h('input', { name: 'contentId', placeholder: 'movie-42' })),
              field(
                'FairPlay certificate URL (Safari)',
                h('input', {
                  name: 'fairplayCertificate',
                  type: 'url',
                  placeholder: 'https://my-site.example/fairplay.cer',
                }),
              ),
            ),
            h('p', {
              class: 'settings-help',
              text: 'The page never holds keys or the customerAuthenticator. It sends drm, contentId, securityLevel and hdcp to the token endpoint, which answers { "rightsUrl", "expiresAt" } (README: token endpoint contract). The endpoint must allow this page’s origin (CORS) if it is on another origin. Saved in this browser’s localStorage.',
            }),
            h('button', { type: 'submit', text: 'Save and reload' }),
            ' ',
            h('button', { type: 'button', id: 'settings-reset', text: 'Back to the emulator' }),
          ),
        ),
      ),
      h(
        'section',
        { class: 'info-col' },
        h(
          'section',
          { 'aria-labelledby': 'profile-h' },
          h('h2', { id: 'profile-h' }, 'DRM on this device ', h('span', { class: 'muted', id: 'profile-time' })),
          h(
            'table',
            { id: 'profile' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['DRM', 'Key system', 'Supported', 'Best security level', 'HDCP', 'Schemes', 'Sessions'].map((t) =>
                  h('th', { scope: 'col', text: t }),
                ),
              ),
            ),
            h('tbody'),
          ),
          h('p', { id: 'drm-note', class: 'note', hidden: true }),
        ),
        h(
          'section',
          { 'aria-labelledby': 'steps-h' },
          h('h2', { id: 'steps-h', text: 'What happened' }),
          h('ol', { id: 'steps', 'aria-live': 'polite' }),
        ),
      ),
    ),
  );
}

/* ------------------------------------------------------------------ settings */

function loadSettings() {
  try {
    const raw = localStorage.getItem(SETTINGS_KEY);
    const parsed = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed === 'object' ? parsed : { backend: 'emulator' };
  } catch {
    return { backend: 'emulator' };
  }
}

async function loadServerConfig() {
  try {
    const res = await fetch('config.json', { cache: 'no-store' });
    if (res.ok) return await res.json();
  } catch {
    // Served by something other than `npm start`: only the custom back end works then.
  }
  return { streams: [], allowedRightsHosts: [] };
}

/** What this page plays against: the emulator from `npm start`, or the user's own endpoint. */
function effectiveConfig(server, settings) {
  if (settings.backend === 'custom' && settings.tokenEndpoint) {
    const hosts = String(settings.allowedRightsHosts || '*.expressplay.com')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const streams =
      settings.manifest && settings.contentId
        ? [
            {
              contentId: settings.contentId,
              manifest: settings.manifest,
              type: settings.manifestType || 'application/dash+xml',
              label: `My content: ${settings.contentId}`,
            },
          ]
        : [];
    return {
      backend: 'custom',
      tokenEndpoint: settings.tokenEndpoint,
      allowedRightsHosts: hosts,
      streams,
      fairplayCertificate: settings.fairplayCertificate || undefined,
    };
  }
  const labels = {
    'cenc-h264': 'CENC DASH · H.264/AAC (cenc-h264)',
    'cbcs-vp9': 'CBCS DASH · VP9/AAC (cbcs-vp9)',
    'clearkey-hls-a': 'HLS fMP4 · SAMPLE-AES-CTR (clearkey-hls-a)',
    'clearkey-hls-b': 'HLS fMP4 · SAMPLE-AES-CTR (clearkey-hls-b)',
    'clearkey-dash-cenc': 'CENC DASH · H.264/AAC, DASH-IF ClearKey (clearkey-dash-cenc)',
    'clearkey-dash-cbcs': 'CBCS DASH · VP9/AAC, DASH-IF ClearKey (clearkey-dash-cbcs)',
  };
  return {
    backend: 'emulator',
    tokenEndpoint: new URL(server.tokenEndpoint || '/api/token', location.href).href,
    allowedRightsHosts: server.allowedRightsHosts || [],
    streams: (server.streams || []).map((s) => ({ ...s, label: labels[s.contentId] || s.contentId })),
  };
}

/* --------------------------------------------------------------------- demo */

export async function startDemo({ mode, lib, attachShaka, attachHls, attachDash, howLoaded }) {
  const main = document.getElementById('app');
  if (!lib) {
    main.replaceChildren(
      h('p', { class: 'error', text: 'The library did not load: run `npm start` (it builds dist/) and reload.' }),
    );
    return;
  }
  const app = buildApp();
  main.replaceChildren(app);
  main.removeAttribute('aria-busy');
  const $ = (sel) => app.querySelector(sel);
  const { detectDrm, catalogEntry, redactTokens } = lib;

  const settings = loadSettings();
  const server = await loadServerConfig();
  const config = effectiveConfig(server, settings);
  // Against the emulator the demo always plays ClearKey: the emulator cannot mint real
  // Widevine/FairPlay/PlayReady licenses (those need ExpressPlay and Google/Apple keys).
  const detectOptions = config.backend === 'emulator' ? { includeClearKey: true, preference: ['clearkey'] } : {};

  $('.mode-note').textContent =
    `Library loaded ${mode === 'esm' ? 'as ES modules' : 'by the drop-in script tag'}: ${howLoaded}`;
  const attachers = { shaka: attachShaka, hlsjs: attachHls, dashjs: attachDash };
  for (const [adapter, attach] of Object.entries(attachers)) {
    if (attach) continue;
    const radio = $(`input[name=adapter][value=${adapter}]`);
    radio.disabled = true;
    radio.parentElement.title = 'This build of the library has no adapter for this player.';
    if (radio.checked) $('input[name=adapter][value=videojs]').checked = true;
  }

  /* settings form */
  const form = $('#settings-form');
  form.elements.backend.value = config.backend;
  for (const name of [
    'tokenEndpoint',
    'allowedRightsHosts',
    'manifest',
    'manifestType',
    'contentId',
    'fairplayCertificate',
  ]) {
    if (settings[name]) form.elements[name].value = settings[name];
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(data));
    location.reload();
  });
  $('#settings-reset').addEventListener('click', () => {
    localStorage.removeItem(SETTINGS_KEY);
    location.reload();
  });
  if (config.backend === 'custom') $('#settings').open = true;

  /* streams */
  const select = $('select[name=stream]');
  const checkedAdapter = () => app.querySelector('input[name=adapter]:checked').value;
  /** The streams the chosen player plays here (each stream says which; a custom one is offered to all). */
  function listStreams() {
    const adapter = checkedAdapter();
    const playable = config.streams.filter((s) => !s.players || s.players.includes(adapter));
    select.replaceChildren(...playable.map((s) => h('option', { value: s.contentId, text: s.label })));
    $('#play').disabled = playable.length === 0;
  }
  listStreams();
  for (const radio of app.querySelectorAll('input[name=adapter]')) radio.addEventListener('change', listStreams);
  if (config.streams.length === 0) {
    select.append(
      h('option', {
        value: '',
        text:
          config.backend === 'custom'
            ? 'Set a manifest URL and content id in Settings'
            : 'No streams: start the page with npm start',
      }),
    );
    $('#play').disabled = true;
  }

  /* URL parameters: ?adapter=videojs&stream=cbcs-vp9&autoplay=1 (links, tests) */
  const params = new URLSearchParams(location.search);
  const wantedAdapter = params.get('adapter');
  if (wantedAdapter === 'videojs' || attachers[wantedAdapter]) {
    $(`input[name=adapter][value=${wantedAdapter}]`).checked = true;
    listStreams();
  }
  if (params.get('stream') && config.streams.some((s) => s.contentId === params.get('stream')))
    select.value = params.get('stream');

  /* the step log */
  const stepsEl = $('#steps');
  let t0 = performance.now();
  const fmt = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
  /** Adds a step, kept in time order (a license request is known only when its answer arrives). */
  function step(kind, title, detail, { at = performance.now(), durationMs, level = 'ok' } = {}) {
    const li = h(
      'li',
      { class: `step ${level}`, 'data-kind': kind, 'data-at': String(at) },
      h('span', { class: 'at', text: `+${fmt(Math.max(0, at - t0))}` }),
      h('span', { class: 'title', text: title }),
      durationMs === undefined ? null : h('span', { class: 'dur', text: fmt(durationMs) }),
      detail ? h('span', { class: 'detail', text: redactTokens(detail) }) : null,
    );
    const after = [...stepsEl.children].find((el) => Number(el.dataset.at) > at);
    stepsEl.insertBefore(li, after ?? null);
    return li;
  }

  /* the profile */
  function renderProfile(profile) {
    const tbody = $('#profile tbody');
    tbody.replaceChildren();
    for (const drm of ['widevine', 'playready', 'fairplay', 'clearkey']) {
      const s = profile[drm];
      if (!s) continue;
      const level = s.securityLevel
        ? `${s.securityLevel} · ${SECURITY_LEVELS[s.securityLevel]}`
        : s.hardware
          ? 'hardware (SL3000)'
          : s.supported
            ? 'n/a'
            : '—';
      const hdcp = !s.supported
        ? '—'
        : s.hdcp === 'unknown'
          ? 'unknown (no getStatusForPolicy)'
          : `${s.hdcp}${s.hdcpVersion ? ` (HDCP ${s.hdcpVersion})` : ''}`;
      const schemes = s.encryptionSchemes.length
        ? `${s.encryptionSchemes.join(', ')}${s.encryptionSchemesSource === 'assumed' ? ' (assumed)' : ''}`
        : '—';
      const preferred = profile.preferred && profile.preferred.drm === drm;
      tbody.append(
        h(
          'tr',
          { class: `${s.supported ? 'yes' : 'no'}${preferred ? ' preferred' : ''}`, 'data-drm': drm },
          h('th', { scope: 'row', text: `${DRM_NAMES[drm]}${preferred ? ' ★' : ''}` }),
          h('td', { text: s.keySystem ? `${s.keySystem}${s.api === 'webkit-legacy' ? ' (legacy WebKit)' : ''}` : '—' }),
          h('td', { text: s.supported ? 'yes' : 'no' }),
          h('td', { text: level }),
          h('td', { text: hdcp }),
          h('td', { text: schemes }),
          h('td', { text: s.sessionTypes.length ? s.sessionTypes.join(', ') : '—' }),
        ),
      );
    }
    $('#profile-time').textContent = `(probed in ${fmt(profile.durationMs)})`;
    const real = ['widevine', 'fairplay', 'playready'].filter((d) => profile[d]?.supported);
    const note = $('#drm-note');
    note.hidden = false;
    if (config.backend === 'emulator') {
      note.textContent =
        real.length === 0
          ? 'Widevine, FairPlay and PlayReady are not available in this browser (Chromium builds without Google’s Widevine CDM, such as Debian’s or headless ones, have none; FairPlay is Safari only). The demo therefore uses ClearKey, the emulator’s development stand-in: the same flow — token endpoint → emulator token service (Widevine path) → rights URL → license request — but the emulator’s rights endpoint answers with a ClearKey key set instead of a Widevine license. ClearKey is not DRM-grade protection.'
          : `This browser has ${real.map((d) => DRM_NAMES[d]).join(' and ')}, but the local emulator cannot issue real ${real.map((d) => DRM_NAMES[d]).join('/')} licenses (that takes ExpressPlay’s servers). Against the emulator the demo uses ClearKey, its development stand-in. To see real DRM, point Settings at your token endpoint on ExpressPlay’s test service.`;
    } else {
      note.textContent =
        real.length === 0
          ? 'No production DRM here: use Chrome, Edge or Firefox (Widevine), Edge (PlayReady) or Safari (FairPlay) against your token endpoint.'
          : `Using ${DRM_NAMES[profile.preferred?.drm] ?? profile.preferred?.drm} against your token endpoint.`;
    }
  }

  let profile;
  try {
    profile = await detectDrm(detectOptions);
    renderProfile(profile);
    step(
      'detection',
      'Detection',
      `${profile.preferred ? `${DRM_NAMES[profile.preferred.drm]} (${profile.preferred.keySystem}) chosen` : 'no supported DRM'} — page load`,
      { durationMs: profile.durationMs, at: performance.now() },
    );
  } catch (err) {
    showError(err);
  }

  /* errors */
  function showError(err) {
    const box = $('#error');
    box.hidden = false;
    const code = typeof err?.code === 'number' ? err.code : undefined;
    const entry = code === undefined ? undefined : catalogEntry(code);
    box.querySelector('.code').textContent = code === undefined ? '' : String(code);
    box.querySelector('.message').textContent = entry ? entry.message : redactTokens(String(err?.message ?? err));
    const category = err?.category ?? entry?.category;
    box.querySelector('.hint').textContent = HINTS[category] ?? '';
    const facts = box.querySelector('.facts');
    facts.replaceChildren();
    const add = (k, v) => {
      if (v === undefined || v === null || v === '') return;
      facts.append(h('dt', { text: k }), h('dd', { text: redactTokens(String(v)) }));
    };
    // The message is the catalog's text plus details; show the details alone, without a repeated catalog text.
    const details =
      typeof err?.details === 'string' && entry ? err.details.split(`${entry.message}: `).join('') : err?.details;
    add('Details', details ?? (entry ? undefined : err?.message));
    add('Category', category);
    add('HTTP status', err?.httpStatus);
    add('Retry may help', entry ? ((err?.retryable ?? entry.retryable) ? 'yes' : 'no') : undefined);
    add('DRM', err?.drm);
    step('error', `Error ${code ?? ''}`.trim(), entry ? entry.message : String(err?.message ?? err), { level: 'bad' });
  }
  function clearError() {
    $('#error').hidden = true;
  }

  /* the ExpressPlay events, the same from both adapters */
  function onExpressPlayEvent(ev) {
    if (!ev || typeof ev.type !== 'string') return;
    switch (ev.type) {
      case 'expressplay:detected': {
        const p = ev.profile?.preferred;
        step(
          'detected',
          'Detection',
          p
            ? `${DRM_NAMES[p.drm]} · ${p.keySystem}${p.securityLevel ? ` · security level ${p.securityLevel}` : ''} · HDCP ${p.hdcp}`
            : 'no DRM',
          { at: ev.time, durationMs: ev.profile?.durationMs },
        );
        break;
      }
      case 'expressplay:token':
        // `cache`: a later caller got the same rights URL without a round trip.
        step(
          'rights-url',
          ev.source === 'cache' ? 'Rights URL (reused)' : 'Rights URL',
          `${ev.rightsUrl ?? ''}${ev.source && ev.source !== 'endpoint' ? ` (from ${ev.source})` : ''}`,
          { at: ev.time, durationMs: ev.durationMs },
        );
        break;
      case 'expressplay:license':
        if (ev.durationMs !== undefined)
          step('license-request', 'License request', `POST ${ev.rightsUrl ?? 'rights URL'}`, {
            at: ev.time - ev.durationMs,
          });
        step(
          'license',
          'License',
          `${DRM_NAMES[ev.drm] ?? ev.drm} license for ${ev.contentId ?? 'the content'} received`,
          { at: ev.time, durationMs: ev.durationMs },
        );
        break;
      case 'expressplay:keystatus':
        step('keystatus', 'Key status', `${ev.keyStatus?.keyId ?? ''} → ${ev.keyStatus?.status ?? ''}`, {
          at: ev.time,
          level: ev.keyStatus?.status === 'usable' ? 'ok' : 'warn',
        });
        break;
      case 'expressplay:error':
        if (ev.error) showError(ev.error);
        break;
    }
  }
  const EVENT_TYPES = [
    'expressplay:detected',
    'expressplay:token',
    'expressplay:license',
    'expressplay:keystatus',
    'expressplay:error',
  ];

  /** Token client options: the endpoint is a function only so the step log can show the request. */
  const tokenOptions = () => ({
    endpoint: (ctx) => {
      const fields = [
        `drm=${ctx.drm}`,
        `contentId=${ctx.contentId}`,
        ctx.securityLevel ? `securityLevel=${ctx.securityLevel}` : '',
        ctx.hdcp !== undefined ? `hdcp=${ctx.hdcp}` : '',
        ctx.kids?.length ? `kids=${ctx.kids.join(',')}` : '',
      ].filter(Boolean);
      step(
        'token-request',
        'Token request',
        `GET ${new URL(config.tokenEndpoint, location.href).pathname} ${fields.join(' ')}`,
      );
      return config.tokenEndpoint;
    },
    allowedRightsHosts: config.allowedRightsHosts,
  });

  /* media events: the end of the flow (from the <video>, or the Video.js player that wraps it) */
  function watchMedia(media, cleanup) {
    let firstSecond = false;
    const on = (type, fn) => {
      media.on(type, fn);
      cleanup.push(() => media.off(type, fn));
    };
    on('loadedmetadata', () =>
      step('media', 'Manifest and media', `${media.size()}, ${media.duration().toFixed(1)} s`),
    );
    on('playing', () => step('playing', 'Playing', 'decrypted frames on screen'));
    on('timeupdate', () => {
      if (!firstSecond && media.currentTime() > 1) {
        firstSecond = true;
        step('played', 'Played 1 s', `currentTime ${media.currentTime().toFixed(2)} s`);
        document.body.dataset.state = 'played';
      }
    });
    on('ended', () => step('ended', 'Ended', ''));
  }
  const videoMedia = (video) => ({
    on: (t, fn) => video.addEventListener(t, fn),
    off: (t, fn) => video.removeEventListener(t, fn),
    currentTime: () => video.currentTime,
    duration: () => video.duration,
    size: () => `${video.videoWidth}×${video.videoHeight}`,
  });
  const videojsMedia = (player) => ({
    on: (t, fn) => player.on(t, fn),
    off: (t, fn) => player.off(t, fn),
    currentTime: () => player.currentTime(),
    duration: () => player.duration(),
    size: () => `${player.videoWidth()}×${player.videoHeight()}`,
  });

  /* the players */
  let current;
  async function stop() {
    const c = current;
    current = undefined;
    if (!c) return;
    for (const fn of c.cleanup.splice(0)) {
      try {
        await fn();
      } catch {
        // Best effort: a player already gone is fine.
      }
    }
    $('#player').replaceChildren();
    $('#stop').disabled = true;
  }

  async function playShaka(stream, cleanup) {
    const shaka = window.shaka;
    if (!shaka) throw new Error('Shaka Player did not load');
    shaka.polyfill.installAll();
    const video = h('video', { controls: true, muted: true, playsinline: true, class: 'shaka-video' });
    video.muted = true;
    $('#player').append(video);
    watchMedia(videoMedia(video), cleanup);
    const player = new shaka.Player();
    cleanup.push(() => player.destroy());
    await player.attach(video);
    for (const type of EVENT_TYPES) player.addEventListener(type, (e) => onExpressPlayEvent(e.detail ?? e));
    player.addEventListener('error', (e) => {
      const detail = e.detail;
      // Errors carrying our typed error were already shown from 'expressplay:error'.
      if (!findExpressPlayError(detail))
        showError({ message: `Shaka error ${detail?.code ?? ''}`, details: detail?.message });
    });
    const handle = await attachShaka(player, {
      token: tokenOptions(),
      contentId: stream.contentId,
      detect: detectOptions,
      ...(config.fairplayCertificate ? { fairplay: { certificate: config.fairplayCertificate } } : {}),
    });
    cleanup.unshift(() => handle.detach());
    await player.load(stream.manifest);
    await video.play();
  }

  /** The adapter options every player gets here. */
  const attachOptions = (stream) => ({
    token: tokenOptions(),
    contentId: stream.contentId,
    detect: detectOptions,
    ...(config.fairplayCertificate ? { fairplay: { certificate: config.fairplayCertificate } } : {}),
  });

  async function playHls(stream, cleanup) {
    const Hls = window.Hls;
    if (!Hls) throw new Error('hls.js did not load');
    const video = h('video', { controls: true, muted: true, playsinline: true, class: 'shaka-video' });
    video.muted = true;
    $('#player').append(video);
    watchMedia(videoMedia(video), cleanup);
    const hls = new Hls();
    cleanup.push(() => hls.destroy());
    for (const type of EVENT_TYPES) hls.on(type, (_name, payload) => onExpressPlayEvent(payload));
    hls.on(Hls.Events.ERROR, (_name, data) => {
      if (data.fatal && !findExpressPlayError(data.error))
        showError({ message: `hls.js error ${data.details}`, details: data.reason ?? data.error?.message });
    });
    const handle = await attachHls(hls, attachOptions(stream));
    cleanup.unshift(() => handle.detach());
    hls.attachMedia(video);
    hls.loadSource(stream.manifest);
    await video.play();
  }

  async function playDash(stream, cleanup) {
    const dashjs = window.dashjs;
    if (!dashjs) throw new Error('dash.js did not load');
    const video = h('video', { controls: true, muted: true, playsinline: true, class: 'shaka-video' });
    video.muted = true;
    $('#player').append(video);
    watchMedia(videoMedia(video), cleanup);
    const player = dashjs.MediaPlayer().create();
    player.initialize(video, undefined, true);
    cleanup.push(() => player.destroy());
    for (const type of EVENT_TYPES) player.on(type, (payload) => onExpressPlayEvent(payload));
    player.on('error', (e) => {
      if (!findExpressPlayError(e.error))
        showError({ message: `dash.js error ${e.error?.code ?? ''}`, details: e.error?.message });
    });
    const handle = await attachDash(player, attachOptions(stream));
    cleanup.unshift(() => handle.detach());
    player.attachSource(stream.manifest);
  }

  async function playVideojs(stream, cleanup) {
    const videojs = window.videojs;
    if (!videojs) throw new Error('Video.js did not load');
    const el = h('video-js', { class: 'video-js vjs-16-9', controls: true, muted: true, playsinline: true });
    $('#player').append(el);
    const player = videojs(el, { controls: true, muted: true, fluid: true, html5: { vhs: { overrideNative: true } } });
    cleanup.push(() => player.dispose());
    for (const type of EVENT_TYPES) player.on(type, (e, payload) => onExpressPlayEvent(payload ?? e));
    player.on('error', () => {
      const err = player.error();
      if (err && !err.expressplay && !err.metadata?.expressplay)
        showError({ message: `Video.js error ${err.code}`, details: err.message });
    });
    if (typeof player.expressplay !== 'function') throw new Error('The expressplay Video.js plugin is not registered');
    player.expressplay({
      token: tokenOptions(),
      detect: detectOptions,
      ...(config.fairplayCertificate ? { fairplay: { certificate: config.fairplayCertificate } } : {}),
    });
    watchMedia(videojsMedia(player), cleanup);
    player.src({ src: stream.manifest, type: stream.type, expressplay: { contentId: stream.contentId } });
    await player.play();
  }

  $('#play').addEventListener('click', async () => {
    await stop();
    clearError();
    stepsEl.replaceChildren();
    delete document.body.dataset.state;
    t0 = performance.now();
    const stream = config.streams.find((s) => s.contentId === select.value);
    const adapter = app.querySelector('input[name=adapter]:checked').value;
    if (!stream) return;
    const names = { shaka: 'Shaka Player', videojs: 'Video.js', hlsjs: 'hls.js', dashjs: 'dash.js' };
    step('start', 'Start', `${names[adapter]} · ${stream.contentId} · ${mode === 'esm' ? 'ESM build' : 'script tag'}`);
    const cleanup = [];
    current = { cleanup };
    $('#stop').disabled = false;
    document.body.dataset.state = 'loading';
    try {
      const play = { shaka: playShaka, videojs: playVideojs, hlsjs: playHls, dashjs: playDash }[adapter];
      await play(stream, cleanup);
    } catch (err) {
      // Adapters report typed errors through 'expressplay:error' already; show anything else.
      if (!findExpressPlayError(err) || $('#error').hidden) showError(findExpressPlayError(err) ?? err);
    }
  });
  $('#stop').addEventListener('click', () => void stop());

  if (params.get('autoplay') === '1' && !$('#play').disabled) $('#play').click();
}

/** The ExpressPlayError inside a player error (Shaka nests it in `data`). */
function findExpressPlayError(value, depth = 0) {
  if (!value || typeof value !== 'object' || depth > 4) return undefined;
  if (value.name === 'ExpressPlayError' && typeof value.code === 'number') return value;
  if (Array.isArray(value.data)) {
    for (const item of value.data) {
      const found = findExpressPlayError(item, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
