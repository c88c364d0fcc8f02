// Lives inside the shadow root: the host page's CSS cannot reach in, and these rules cannot leak out.
// `all: initial` on :host stops the page's inherited fonts and colours at the boundary. Terse on
// purpose: it ships in the bundle as written.
export const STYLES = `:host{all:initial}
*{box-sizing:border-box}
[hidden]{display:none!important}
.root{--kc:#1677ff;position:fixed;bottom:20px;right:20px;z-index:2147483000;font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#222}
.left{right:auto;left:20px}
button{font:inherit;cursor:pointer;border:0;background:none;color:inherit}
button:disabled{opacity:.5}
svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round}
.la,.hd,.co,.cf,.ic{display:flex;align-items:center;gap:8px}
.la{position:relative;height:52px;padding:0 20px 0 16px;border-radius:26px;background:var(--kc);color:#fff;box-shadow:0 6px 20px #0003}
.bd{position:absolute;top:-4px;right:-4px;padding:0 6px;border-radius:9px;background:#f22;font-size:12px}
.pa,.bo,.ce,.m,form{display:flex;flex-direction:column}
.pa{position:absolute;bottom:66px;right:0;width:370px;height:min(600px,calc(100vh - 110px));background:#fff;border-radius:12px;box-shadow:0 12px 40px #0004;overflow:hidden}
.left .pa{right:auto;left:0}
.hd{padding:12px 12px 12px 16px;background:var(--kc);color:#fff}
.hd div{flex:1;min-width:0}
.hd b{display:block;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.end{font-size:12px;padding:2px 8px;border:1px solid;border-radius:4px}
.bar,.up,small,.sys,.who,.meta,.ty{font-size:12px}
.bar{padding:6px 12px;background:#fffbe6}
.err{color:#d4380d}
.bo{flex:1;min-height:0}
.sc{flex:1;overflow-y:auto;padding:12px;background:#f5f6f8}
.ce{flex:1;align-items:center;justify-content:center;gap:16px;padding:24px;text-align:center}
.m{margin:8px 0;max-width:85%;align-items:flex-start}
.me{margin-left:auto;align-items:flex-end}
.sys{max-width:none;align-items:center}
.sys,.who,.meta,.ty{color:#888}
.bu{padding:8px 12px;border-radius:10px;background:#fff;white-space:pre-wrap;word-break:break-word}
.me .bu{background:var(--kc);color:#fff}
.bot .bu{border:1px solid #d6e4ff}
.qs{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.qr{padding:3px 10px;border:1px solid var(--kc);border-radius:14px;color:var(--kc);background:#fff;font-size:13px}
.bu img{display:block;max-width:220px;max-height:220px}
.bu a{color:inherit}
.cf,.co{padding:8px;border-top:1px solid #eee}
.cf span,.co textarea{flex:1}
.btn{padding:6px 14px;border-radius:6px;background:var(--kc);color:#fff}
.gh{background:#eee;color:#222}
textarea,input,select{font:inherit;color:#222;background:#fff;border:1px solid #ccc;border-radius:6px;padding:6px 10px}
.co textarea{resize:none;max-height:110px}
.ic{padding:8px;color:#666}
.hd .ic{color:#fff}
.se{color:var(--kc)}
.up{padding:4px 12px}
form{gap:12px;padding:16px;overflow-y:auto}
p{margin:0}
label{display:flex;flex-direction:column;gap:4px}
@media(max-width:480px){.open{inset:0}.open .la{display:none}.pa{position:fixed;inset:0;width:auto;height:auto;border-radius:0}}`;
