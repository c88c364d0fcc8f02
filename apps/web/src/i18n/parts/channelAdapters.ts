// SMS receipts and opt-outs (退订名单), the WeChat account binding on the customer archive.
// channelAdaptersEn must carry exactly the keys of channelAdaptersZh (checked through the Messages type of zh-CN.ts).

export const channelAdaptersZh = {
  delivery: { delivered: '已送达手机' },
  identity: { wechat: '微信公众号', wechatHint: '客户在公众号发送“绑定 户号 预留手机号后四位”完成绑定；发送“解绑”可解除' },
  optOuts: {
    open: '退订名单',
    title: '退订名单 · {{name}}',
    hint: '回复 TD、退订、T 或 STOP 的号码不再收到通知短信（停电通知、回访邀请等），回复“订阅”“恢复”或 START 可重新订阅；坐席对客户来信的回复不受影响。退订对本单位所有短信渠道生效。',
    phone: '手机号',
    keyword: '退订指令',
    channel: '来源渠道',
    at: '退订时间',
    total: '共 {{count}} 个号码',
    masked: '号码已脱敏显示',
    empty: '暂无退订号码',
    loadFailed: '退订名单加载失败',
  },
  cti: {
    open: '分机号（{{count}}）',
    title: '分机号与外呼 · {{name}}',
    hint: '为坐席配置呼叫中心（PBX）分机号：来电按分机路由给坐席，接听后在坐席浏览器弹出来电客户档案；没有分机号的坐席不接听本线路来电。',
    originateUrl: '外呼接口地址',
    originateHelp: '点击外呼与预约回呼时，系统向该地址发送签名请求，由 PBX 先呼坐席分机再拨客户号码。留空则不能外呼。',
    agent: '坐席',
    state: '状态',
    extension: '分机号',
    duplicate: '分机号重复：{{extensions}}，每个分机号只能分配给一位坐席',
    save: '保存',
    saved: '分机号已保存',
  },
};

export const channelAdaptersEn: typeof channelAdaptersZh = {
  delivery: { delivered: 'Delivered to phone' },
  identity: { wechat: 'WeChat official account', wechatHint: 'The customer sent "绑定 <account> <last 4 digits of phone>" to the official account; "解绑" removes it' },
  optOuts: {
    open: 'Opt-outs',
    title: 'Opt-outs · {{name}}',
    hint: 'Numbers that replied TD, 退订, T or STOP receive no notice SMS (outage notices, survey invitations…); replying 订阅, 恢复 or START opts them in again. Agents’ replies to customers who wrote are not affected. An opt-out applies to all SMS channels of the organisation.',
    phone: 'Phone',
    keyword: 'Keyword',
    channel: 'Channel',
    at: 'Opted out at',
    total: '{{count}} numbers',
    masked: 'Numbers are masked',
    empty: 'No opted-out numbers',
    loadFailed: 'Could not load the opt-outs',
  },
  cti: {
    open: 'Extensions ({{count}})',
    title: 'Extensions and outbound calls · {{name}}',
    hint: 'Give agents their PBX extensions: calls are routed to agents by extension, and the caller’s archive pops up in the browser of the agent who answers. Agents without an extension take no calls on this line.',
    originateUrl: 'Originate URL',
    originateHelp: 'Click-to-call and callbacks send a signed request here; the PBX rings the agent’s extension, then dials the customer. Leave empty to disable outbound calls.',
    agent: 'Agent',
    state: 'State',
    extension: 'Extension',
    duplicate: 'Duplicate extensions: {{extensions}}; each extension belongs to one agent',
    save: 'Save',
    saved: 'Extensions saved',
  },
};
