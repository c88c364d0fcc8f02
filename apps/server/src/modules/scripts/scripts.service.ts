import type { TCreateScriptRequest, TListScriptsQuery, TRenderedScript, TRenderScriptRequest, TScript, TScriptPreview, TUpdateScriptRequest } from '@kefu/contracts';
import type { SCRIPT_SITUATION_CODES, SCRIPT_VARIABLE_NAMES } from '@kefu/contracts';
import type { DB, ScriptsTable } from '@kefu/db';
import {
  buildScriptValues,
  type CustomerGender,
  findUnknownVariables,
  genderFromIdNumber,
  listTemplateVariables,
  renderScript,
  type SCRIPT_SITUATIONS,
  SCRIPT_VARIABLES,
  type ScriptContext,
  type ScriptLanguage,
  type TicketStatus,
} from '@kefu/domain';
import { type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { toPrefixQuery } from '../../platform/text-search.ts';
import { customerVisibility } from '../customers/customers.scope.ts';
import { ticketVisibility } from '../tickets/tickets.scope.ts';
import { asPinyinQuery, scriptSearchColumns } from './scripts.search.ts';

// The contracts carry their own copies of the situation and variable lists (the widget and web app
// depend on contracts only); these lines stop the build when the copies drift from the domain.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const situationsAgree: Same<(typeof SCRIPT_SITUATIONS)[number], (typeof SCRIPT_SITUATION_CODES)[number]> = true;
const variablesAgree: Same<(typeof SCRIPT_VARIABLES)[number], (typeof SCRIPT_VARIABLE_NAMES)[number]> = true;
void situationsAgree;
void variablesAgree;

type ScriptRow = Selectable<ScriptsTable>;

const TIME_ZONE = 'Asia/Shanghai';
/** The brands table has no hotline yet; 95598 is the State Grid customer service number. */
const DEFAULT_HOTLINE = '95598';
// Organisations (shops, companies, schools…) are greeted by name, never with 先生/女士.
const ORGANISATION_NAME = /(公司|集团|厂|局|店|超市|商行|酒店|宾馆|饭馆|餐厅|医院|学校|中心|合作社|委员会|银行|站|所|馆|部|社区|村委)$/u;

export function toScriptDto(r: ScriptRow): TScript {
  return {
    id: r.id,
    shortcut: r.shortcut,
    title: r.title,
    body: r.body,
    language: r.language as TScript['language'],
    situation: r.situation as TScript['situation'],
    tags: r.tags,
    pinyin: r.pinyin,
    variables: listTemplateVariables(r.body),
    usageCount: r.usage_count,
    position: r.position,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function brandOf(auth: AuthContext): string {
  const b = auth.brandIds[0];
  if (!b) throw new AppError('auth.forbidden', 'No brand');
  return b;
}

function assertKnownVariables(body: string) {
  const unknown = findUnknownVariables(body);
  if (unknown.length > 0) {
    throw new AppError('scripts.unknown_variables', `Unknown variables: ${unknown.map((v) => `{${v}}`).join(', ')}`, { field: 'body', unknown, known: [...SCRIPT_VARIABLES] });
  }
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

function shortcutTaken(shortcut: string, language: string) {
  return new AppError('scripts.shortcut_taken', `Shortcut /${shortcut} is already used by another ${language} script`, { shortcut, language });
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function createScriptsService(deps: { db: Kysely<DB>; clock: () => Date; hotline?: string }) {
  const { db, clock } = deps;
  const hotline = deps.hotline ?? DEFAULT_HOTLINE;

  async function loadVisible(auth: AuthContext, id: string, includeInactive: boolean): Promise<ScriptRow> {
    let q = db.selectFrom('scripts').selectAll().where('id', '=', id).where('brand_id', 'in', [...auth.brandIds]);
    if (!includeInactive) q = q.where('active', '=', true);
    const row = await q.executeTakeFirst();
    if (!row) throw new AppError('resource.not_found', 'Script not found', { entity: 'script', id });
    return row;
  }

  /** The render context: the caller as agent, the customer and ticket the caller may see. */
  async function loadContext(auth: AuthContext, language: ScriptLanguage, input: TRenderScriptRequest, brandId: string): Promise<ScriptContext> {
    const [agent, brand] = await Promise.all([
      db.selectFrom('users').select(['display_name', 'work_number']).where('id', '=', auth.userId).executeTakeFirst(),
      db.selectFrom('brands').select('name').where('id', '=', brandId).executeTakeFirst(),
    ]);
    let customerId = input.customerId ?? null;
    let visitorName: string | null = null;
    let ticket: ScriptContext['ticket'] = null;

    if (input.ticketId) {
      const row = auth.permissions.has('ticket:read')
        ? await db.selectFrom('tickets').select(['number', 'status', 'customer_id']).where('id', '=', input.ticketId).where(ticketVisibility(auth)).executeTakeFirst()
        : undefined;
      if (!row) throw new AppError('resource.not_found', 'Ticket not found', { entity: 'ticket', id: input.ticketId });
      ticket = { number: row.number, status: row.status as TicketStatus };
      customerId ??= row.customer_id;
    }
    if (input.conversationId) {
      const row = await db
        .selectFrom('conversations as c')
        .leftJoin('visitors as v', 'v.id', 'c.visitor_id')
        .leftJoin('contacts as k', 'k.id', 'c.current_contact_id')
        .select(['c.customer_id', 'k.customer_id as contact_customer_id', 'v.customer_id as visitor_customer_id', 'v.name as visitor_name'])
        .where('c.id', '=', input.conversationId)
        .where('c.brand_id', 'in', [...auth.brandIds])
        .executeTakeFirst();
      if (!row) throw new AppError('resource.not_found', 'Conversation not found', { entity: 'conversation', id: input.conversationId });
      customerId ??= row.contact_customer_id ?? row.customer_id ?? row.visitor_customer_id;
      visitorName = row.visitor_name?.trim() || null;
    }

    let customer: ScriptContext['customer'] = null;
    if (customerId) {
      const row = auth.permissions.has('customer:read')
        ? await db.selectFrom('customers').select(['name', 'id_number', 'attributes']).where('id', '=', customerId).where(customerVisibility(auth)).executeTakeFirst()
        : undefined;
      if (!row && input.customerId) throw new AppError('resource.not_found', 'Customer not found', { entity: 'customer', id: input.customerId });
      if (row) {
        const stated = (row.attributes as Record<string, unknown>)?.gender;
        const gender: CustomerGender | null = stated === 'male' || stated === 'female' ? stated : genderFromIdNumber(row.id_number);
        // Only the name and 先生/女士 leave the archive; the ID number stays here.
        customer = { name: row.name, gender, person: !ORGANISATION_NAME.test(row.name) };
      }
    }
    // An unidentified web chat visitor who typed a name in the pre-chat form.
    if (!customer && visitorName) customer = { name: visitorName, gender: null };

    return {
      language,
      now: clock(),
      timeZone: TIME_ZONE,
      customer,
      agent: agent ? { name: agent.display_name, workNumber: agent.work_number } : null,
      ticket,
      brand: { name: brand?.name ?? null, hotline },
    };
  }

  async function bumpUsage(id: string, brandIds: readonly string[]): Promise<number> {
    const row = await db
      .updateTable('scripts')
      .set((eb) => ({ usage_count: eb('usage_count', '+', 1) }))
      .where('id', '=', id)
      .where('brand_id', 'in', [...brandIds])
      .where('active', '=', true)
      .returning('usage_count')
      .executeTakeFirst();
    if (!row) throw new AppError('resource.not_found', 'Script not found', { entity: 'script', id });
    return row.usage_count;
  }

  return {
    async list(auth: AuthContext, query: TListScriptsQuery): Promise<{ items: TScript[] }> {
      if (query.includeInactive && !auth.permissions.has('kb:write')) {
        throw new AppError('auth.forbidden', 'Listing inactive scripts needs kb:write', { permission: 'kb:write' });
      }
      let q = db.selectFrom('scripts').selectAll().where('brand_id', 'in', [...auth.brandIds]);
      if (!query.includeInactive) q = q.where('active', '=', true);
      if (query.situation) q = q.where('situation', '=', query.situation);
      if (query.language) q = q.where('language', '=', query.language);
      const text = query.q?.trim();
      if (text) {
        const tsquery = toPrefixQuery(text);
        const py = asPinyinQuery(text);
        const lower = text.toLowerCase().replace(/^\//, '');
        q = q.where((eb) => {
          const any = [eb('shortcut', 'like', `${escapeLike(lower)}%`)];
          if (tsquery) any.push(eb(sql<SqlBool>`search_text @@ to_tsquery('simple', ${tsquery})`, '=', true));
          if (py) any.push(eb('pinyin', 'like', `${py}%`), eb('pinyin', 'like', `% ${py}%`));
          return eb.or(any);
        });
        // Best first: the exact shortcut, then pinyin initials, then the text rank; usage breaks ties.
        // (PostgreSQL refuses constant ORDER BY terms, so absent criteria are left out.)
        q = q.orderBy(sql`(shortcut = ${lower})`, 'desc');
        if (py) q = q.orderBy(sql`(pinyin like ${`${py}%`})`, 'desc');
        if (tsquery) q = q.orderBy(sql`ts_rank(search_text, to_tsquery('simple', ${tsquery}))`, 'desc');
        q = q.orderBy('usage_count', 'desc');
      }
      const rows = await q.orderBy('position').orderBy('shortcut').limit(query.limit).execute();
      return { items: rows.map(toScriptDto) };
    },

    async get(auth: AuthContext, id: string): Promise<TScript> {
      return toScriptDto(await loadVisible(auth, id, auth.permissions.has('kb:write')));
    },

    async create(ctx: RequestContext, input: TCreateScriptRequest): Promise<TScript> {
      assertKnownVariables(input.body);
      const brandId = brandOf(ctx.auth);
      const now = clock();
      try {
        return await db.transaction().execute(async (trx) => {
          const taken = await trx.selectFrom('scripts').select('id').where('brand_id', '=', brandId).where('shortcut', '=', input.shortcut).where('language', '=', input.language).executeTakeFirst();
          if (taken) throw shortcutTaken(input.shortcut, input.language);
          const position =
            input.position ??
            Number((await trx.selectFrom('scripts').select((eb) => eb.fn.max('position').as('max')).where('brand_id', '=', brandId).executeTakeFirst())?.max ?? 0) + 10;
          const row = await trx
            .insertInto('scripts')
            .values({
              brand_id: brandId,
              shortcut: input.shortcut,
              title: input.title,
              body: input.body,
              language: input.language,
              situation: input.situation,
              tags: input.tags,
              position,
              ...scriptSearchColumns(input),
              created_at: now,
              updated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const dto = toScriptDto(row);
          await recordAudit(trx, ctx, { action: 'script.create', entityType: 'script', entityId: row.id, brandId, after: auditView(dto) });
          return dto;
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw shortcutTaken(input.shortcut, input.language);
        throw e;
      }
    },

    async update(ctx: RequestContext, id: string, input: TUpdateScriptRequest): Promise<TScript> {
      if (input.body !== undefined) assertKnownVariables(input.body);
      try {
        return await db.transaction().execute(async (trx) => {
          const before = await trx.selectFrom('scripts').selectAll().where('id', '=', id).where('brand_id', 'in', [...ctx.auth.brandIds]).forUpdate().executeTakeFirst();
          if (!before) throw new AppError('resource.not_found', 'Script not found', { entity: 'script', id });
          if (input.updatedAt !== undefined && new Date(input.updatedAt).getTime() !== before.updated_at.getTime()) {
            throw new AppError('scripts.version_conflict', 'The script was changed meanwhile', { updatedAt: before.updated_at.toISOString() });
          }
          const next = {
            shortcut: input.shortcut ?? before.shortcut,
            title: input.title ?? before.title,
            body: input.body ?? before.body,
            language: input.language ?? before.language,
            situation: input.situation ?? before.situation,
            tags: input.tags ?? before.tags,
            position: input.position ?? before.position,
            active: input.active ?? before.active,
          };
          if (next.shortcut !== before.shortcut || next.language !== before.language) {
            const taken = await trx
              .selectFrom('scripts')
              .select('id')
              .where('brand_id', '=', before.brand_id)
              .where('shortcut', '=', next.shortcut)
              .where('language', '=', next.language)
              .where('id', '!=', id)
              .executeTakeFirst();
            if (taken) throw shortcutTaken(next.shortcut, next.language);
          }
          const row = await trx
            .updateTable('scripts')
            .set({ ...next, ...scriptSearchColumns(next), updated_at: clock() })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
          const dto = toScriptDto(row);
          await recordAudit(trx, ctx, { action: 'script.update', entityType: 'script', entityId: id, brandId: before.brand_id, before: auditView(toScriptDto(before)), after: auditView(dto) });
          return dto;
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw shortcutTaken(input.shortcut ?? '', input.language ?? '');
        throw e;
      }
    },

    /** Deleting deactivates: the script leaves the picker, its usage history and shortcut stay. */
    async deactivate(ctx: RequestContext, id: string): Promise<TScript> {
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('scripts').selectAll().where('id', '=', id).where('brand_id', 'in', [...ctx.auth.brandIds]).forUpdate().executeTakeFirst();
        if (!before) throw new AppError('resource.not_found', 'Script not found', { entity: 'script', id });
        if (!before.active) return toScriptDto(before);
        const row = await trx.updateTable('scripts').set({ active: false, updated_at: clock() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'script.deactivate', entityType: 'script', entityId: id, brandId: before.brand_id, before: { active: true }, after: { active: false } });
        return toScriptDto(row);
      });
    },

    async render(ctx: RequestContext, id: string, input: TRenderScriptRequest): Promise<TRenderedScript> {
      const script = await loadVisible(ctx.auth, id, false);
      const context = await loadContext(ctx.auth, script.language as ScriptLanguage, input, script.brand_id);
      const rendered = renderScript(script.body, buildScriptValues(context));
      if (input.use) await bumpUsage(id, ctx.auth.brandIds);
      return rendered;
    },

    /** Counts one use of a script (inserted into a reply). A counter, not audited. */
    async use(auth: AuthContext, id: string): Promise<{ id: string; usageCount: number }> {
      return { id, usageCount: await bumpUsage(id, auth.brandIds) };
    },

    /** The editor's live preview: an unsaved body against a sample customer and ticket, the caller as agent. */
    async preview(auth: AuthContext, input: { body: string; language: ScriptLanguage }): Promise<TScriptPreview> {
      const brandId = brandOf(auth);
      const context = await loadContext(auth, input.language, {}, brandId);
      const sample: ScriptContext = {
        ...context,
        customer: input.language === 'en-US' ? { name: 'Alice Brown', gender: 'female' } : { name: '张伟', gender: 'male' },
        ticket: { number: 'GD20261127000123', status: 'in_progress' },
      };
      return { ...renderScript(input.body, buildScriptValues(sample)), unknown: findUnknownVariables(input.body) };
    },
  };
}

function auditView(s: TScript) {
  return { shortcut: s.shortcut, title: s.title, body: s.body, language: s.language, situation: s.situation, tags: s.tags, active: s.active };
}

export type ScriptsService = ReturnType<typeof createScriptsService>;
