import { describe, expect, it, vi } from 'vitest';
import { isIdentityToken, pickLanguage, readOptions, resolveLanguage, safeColor } from './config.ts';

const CHANNEL = 'de000000-0000-4000-8000-0000000000c1';
const script = (attrs: Record<string, string>, src = 'https://kefu.example.com/widget.js?v=3') => ({
  src,
  getAttribute: (name: string) => attrs[name] ?? null,
});
const b64url = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const token = (payload: object) => `${b64url(JSON.stringify(payload))}.${b64url('signature-bytes')}`;

describe('readOptions', () => {
  it('reads every attribute of the embed snippet', () => {
    const r = readOptions(
      script({ 'data-channel': CHANNEL, 'data-language': 'en-US', 'data-color': '#00706B', 'data-position': 'left' }),
      ['zh-CN'],
    );
    expect(r).toEqual({
      ok: true,
      options: { channelId: CHANNEL, language: 'en-US', color: '#00706B', position: 'left', identityToken: null, apiBase: 'https://kefu.example.com' },
    });
  });

  it('talks to the origin the script came from, port included', () => {
    const r = readOptions(script({ 'data-channel': CHANNEL }, 'http://10.0.0.5:3000/widget.js'), []);
    expect(r.ok && r.options.apiBase).toBe('http://10.0.0.5:3000');
  });

  it('defaults to the right-hand side and no colour override', () => {
    const r = readOptions(script({ 'data-channel': CHANNEL, 'data-position': 'middle' }), []);
    expect(r.ok && [r.options.position, r.options.color, r.options.language]).toEqual(['right', null, null]);
  });

  it('refuses a missing or malformed channel id', () => {
    expect(readOptions(script({}), []).ok).toBe(false);
    expect(readOptions(script({ 'data-channel': 'my-channel' }), []).ok).toBe(false);
  });

  it('refuses an inline copy of the script (no origin to talk to)', () => {
    expect(readOptions(script({ 'data-channel': CHANNEL }, ''), []).ok).toBe(false);
  });

  it('keeps a well-formed identity token as is and drops a malformed one', () => {
    const good = token({ sub: 'C-10086', name: '张三', phone: '13800000000', exp: 1_900_000_000 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ok = readOptions(script({ 'data-channel': CHANNEL, 'data-identity-token': good }), []);
    expect(ok.ok && ok.options.identityToken).toBe(good);
    const r = readOptions(script({ 'data-channel': CHANNEL, 'data-identity-token': 'not-a-token' }), []);
    expect(r.ok && r.options.identityToken).toBeNull();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});

describe('identity token shape', () => {
  it('accepts base64url(JSON payload).base64url(signature) with sub and exp', () => {
    expect(isIdentityToken(token({ sub: 'C-1', exp: 1 }))).toBe(true);
    expect(isIdentityToken(token({ sub: '客户-1', name: '张三', exp: 1 }))).toBe(true);
  });

  it('rejects anything else; the signature and expiry are the server’s to judge', () => {
    expect(isIdentityToken(token({ exp: 1 }))).toBe(false);
    expect(isIdentityToken(token({ sub: '', exp: 1 }))).toBe(false);
    expect(isIdentityToken(token({ sub: 'C-1' }))).toBe(false);
    expect(isIdentityToken(`${b64url('{"sub":"C-1","exp":1}')}`)).toBe(false);
    expect(isIdentityToken(`${b64url('{"sub":"C-1","exp":1}')}.sig.extra`)).toBe(false);
    expect(isIdentityToken(`${b64url('not json')}.sig`)).toBe(false);
    expect(isIdentityToken('eyJ+/=.sig')).toBe(false);
  });
});

describe('language', () => {
  it('prefers data-language, then the browser, then the channel', () => {
    expect(pickLanguage('zh-CN', ['en-GB'])).toBe('zh-CN');
    expect(pickLanguage(null, ['fr-FR', 'en-GB', 'zh-TW'])).toBe('en-US');
    expect(pickLanguage('de-DE', ['zh-HK'])).toBe('zh-CN');
    expect(pickLanguage(null, ['fr-FR'])).toBeNull();
    expect(resolveLanguage(null, 'en-US')).toBe('en-US');
    expect(resolveLanguage(null, 'fr')).toBe('zh-CN');
    expect(resolveLanguage('en-US', 'zh-CN')).toBe('en-US');
  });
});

describe('colour', () => {
  it('accepts hex colours only, so an attribute cannot inject CSS', () => {
    expect(safeColor('#1677ff')).toBe('#1677ff');
    expect(safeColor(' #fff ')).toBe('#fff');
    expect(safeColor('red')).toBeNull();
    expect(safeColor('#fff;background:url(https://evil.example)')).toBeNull();
    expect(safeColor(null)).toBeNull();
  });
});
