// Quoted-history collapse: split what the customer wrote now from the history their mail client
// appended (引用的原邮件). Pure text rules; the full text stays available as `quotedText`.

export type SplitQuoted = { visibleText: string; quotedText: string };

/** A line that opens the quoted history on its own. */
const OPENERS: RegExp[] = [
  // Foxmail / QQ / 163: "------------------ 原始邮件 ------------------", Outlook "-----Original Message-----"
  /^\s*[-_=]{2,}\s*(原始邮件|原始郵件|原邮件|Original Message|Forwarded message|转发邮件|轉寄郵件)\s*[-_=]{2,}\s*$/i,
  // Outlook's rule above the header block
  /^\s*_{10,}\s*$/,
];
/** "在 2026年11月27日 周五 10:00，张三 <a@b.cn> 写道：" and "On Fri, 27 Nov 2026, Zhang <a@b.cn> wrote:" (may wrap onto two lines). */
const WROTE: RegExp[] = [/^\s*在.{0,300}(写道|寫道)\s*[:：]?\s*$/, /^\s*On\s.{0,300}\bwrote\s*:\s*$/i, /^\s*.{0,200}于.{0,100}(写道|寫道)\s*[:：]\s*$/];
/** Header blocks that Outlook/Foxmail put above forwarded or quoted mail: a From line followed by a Sent/Date/To line. */
const FROM_LINE = /^\s*\**\s*(发件人|發件人|寄件者|寄件人|From)\s*\**\s*[:：]/i;
const NEXT_HEADER = /^\s*\**\s*(发送时间|發送時間|寄件日期|时间|日期|收件人|抄送|主题|主旨|Sent|Date|To|Cc|Subject)\s*\**\s*[:：]/i;

function opensQuote(lines: string[], i: number): boolean {
  const line = lines[i] ?? '';
  if (OPENERS.some((re) => re.test(line))) return true;
  if (WROTE.some((re) => re.test(line))) return true;
  const joined = `${line} ${lines[i + 1] ?? ''}`;
  if (line.trim() !== '' && WROTE.some((re) => re.test(joined)) && !WROTE.some((re) => re.test(lines[i + 1] ?? ''))) return true;
  if (FROM_LINE.test(line)) {
    for (let j = i + 1; j <= i + 4 && j < lines.length; j++) if (NEXT_HEADER.test(lines[j] ?? '')) return true;
  }
  return false;
}

/**
 * Splits `text` at the first reply header (zh/en); without one, a trailing block of "> " lines is the
 * quote. Interleaved quoting (answers between quoted lines) stays visible as written.
 */
export function splitQuotedHistory(text: string): SplitQuoted {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = -1;
  for (let i = 0; i < lines.length; i++) {
    if (opensQuote(lines, i)) {
      cut = i;
      break;
    }
  }
  if (cut < 0) {
    // trailing "> " block: from the end, skip blanks, then take quoted lines
    let i = lines.length - 1;
    while (i >= 0 && (lines[i] ?? '').trim() === '') i--;
    let start = -1;
    while (i >= 0 && /^\s*>/.test(lines[i] ?? '')) {
      start = i;
      i--;
      while (i >= 0 && (lines[i] ?? '').trim() === '' && /^\s*>/.test(lines[i - 1] ?? '')) i--;
    }
    if (start >= 0) cut = start;
  }
  if (cut < 0) return { visibleText: text.trim(), quotedText: '' };
  const visibleText = lines.slice(0, cut).join('\n').trim();
  const quotedText = lines.slice(cut).join('\n').trim();
  // A mail that is nothing but a forward keeps its content visible.
  if (visibleText === '') return { visibleText: quotedText, quotedText: '' };
  return { visibleText, quotedText };
}
