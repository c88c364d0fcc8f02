// What customers, agents and crews write on demo work orders: descriptions per leaf category,
// handling results, replies, return and reopen reasons. Written for this product in the words
// 95598 orders use. Placeholders in braces are filled by fillTemplate.

/** One way a customer describes a problem: a short summary (the title) and the description. */
export type TextTemplate = { summary: string; text: string };

export type TemplateVars = {
  /** The customer's address. */
  addr: string;
  /** Area name, e.g. 城中区. */
  area: string;
  /** When it started, in words: 今天晚上8点左右. */
  time: string;
  /** The previous month: 10月. */
  month: string;
  /** A bill amount: 386.50. */
  amount: string;
  /** A small count. */
  n: string;
  /** A member of staff as the customer names them: 王师傅. */
  staff: string;
  /** Requested capacity in kVA. */
  kva: string;
};

export function fillTemplate(text: string, vars: TemplateVars): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? vars[key as keyof TemplateVars] : whole));
}

const t = (summary: string, text: string): TextTemplate => ({ summary, text });

/** Descriptions per leaf category code. */
export const DESCRIPTION_TEMPLATES: Readonly<Record<string, readonly TextTemplate[]>> = {
  'fault-repair.low-voltage': [
    t('家中突然停电', '客户反映{addr}家中{time}突然停电，邻居家也没电，楼道灯也不亮，请尽快派人查看。'),
    t('单户停电', '客户来电称{addr}{time}起家中无电，邻居家有电，已检查家中空开未跳闸，怀疑表箱内故障，请抢修人员上门处理。'),
    t('整栋楼停电', '客户反映{addr}整栋楼{time}停电，电梯困人已由物业处理，楼内有老人和婴儿，请尽快恢复供电。'),
    t('表箱冒烟', '客户反映{addr}楼下表箱{time}有冒烟和焦糊味，现已停电，客户担心起火，请立即派人处理。'),
    t('电线被风刮断', '客户反映{addr}门口的低压线{time}被大风刮断垂落在地，家中已停电，已提醒邻居远离，请尽快派人处理。'),
  ],
  'fault-repair.high-voltage': [
    t('片区大面积停电', '客户反映{area}{addr}附近{time}大面积停电，周边小区和商铺均无电，听到变压器方向有异响，请尽快抢修。'),
    t('变压器异响停电', '客户反映{addr}附近的变压器{time}发出放电声后整片停电，请派人查看是否有安全隐患。'),
    t('线路放电起火花', '客户反映{addr}村口高压线{time}有放电打火现象，随后全村停电，请尽快派人处理。'),
  ],
  'fault-repair.metering': [
    t('电能表黑屏', '客户反映{addr}电能表{time}起黑屏，家中无电，已缴费，余额充足，请派人检查电能表。'),
    t('电表烧坏', '客户反映{addr}电表{time}冒烟后停电，表壳有烧黑痕迹，请尽快派人更换。'),
    t('电表显示异常', '客户反映{addr}电能表显示屏闪烁报警，家中时有时无电，请派人查看计量装置。'),
  ],
  'fault-repair.power-quality': [
    t('电压偏低', '客户反映{addr}近几天每到晚上电压偏低，灯光发暗，空调和热水器无法启动，请派人测量电压。'),
    t('电压不稳灯光闪烁', '客户反映{addr}{time}起电压忽高忽低，灯光频繁闪烁，担心烧坏家电，请尽快处理。'),
    t('电压过高烧坏电器', '客户反映{addr}电压过高，{time}家中电视和路由器烧坏，请派人检测并说明原因。'),
  ],
  'fault-repair.customer-internal': [
    t('家中漏保频繁跳闸', '客户反映{addr}家中漏电保护器{time}起频繁跳闸，合不上闸，邻居家正常，请派人帮助查看。'),
    t('家中部分房间无电', '客户反映{addr}家中部分房间没电，其他房间正常，客户不会处理，请派人上门查看。'),
  ],
  'fault-repair.charging-facility': [
    t('充电桩无法充电', '客户反映{addr}附近公共充电桩{time}起无法启动充电，扫码后提示设备故障，请派人维修。'),
    t('家用充电桩不工作', '客户反映{addr}家用充电桩指示灯不亮，无法给电动汽车充电，家中其他用电正常，请派人查看。'),
  ],
  'fault-repair.non-power': [
    t('线杆上通信线垂落', '客户反映{addr}门口电杆上有一根线垂下来挡路，不确定是电线还是网线，请派人确认。'),
    t('路灯不亮', '客户反映{addr}附近路灯连续几晚不亮，出行不便，请相关部门处理。'),
  ],
  'complaint.service-attitude': [
    t('营业厅工作人员态度差', '客户投诉{area}营业厅工作人员{staff}办理业务时态度生硬，不耐心解释，客户多次询问被打断，要求道歉。'),
    t('抢修人员态度不好', '客户投诉上门抢修的{staff}说话不客气，处理完未清理现场，客户对服务态度不满意。'),
    t('热线等待时间长', '客户投诉拨打95598多次排队等待超过10分钟，接通后问题未得到解答，对服务效率不满意。'),
  ],
  'complaint.outage': [
    t('频繁停电', '客户投诉{addr}近一个月停电{n}次，每次都没有提前通知，影响正常生活和生意，要求说明原因并改善。'),
    t('计划停电未通知', '客户投诉{addr}{time}停电未收到任何停电通知，家中冰箱食物变质，要求给个说法。'),
    t('抢修时间过长', '客户投诉{addr}{time}停电，抢修人员到场晚，停电超过{n}小时才恢复，要求解释并改进。'),
  ],
  'complaint.meter-reading-billing': [
    t('未通知就停电催费', '客户投诉{addr}欠费后未收到任何催费通知即被停电，要求说明依据并尽快复电。'),
    t('估抄电量', '客户投诉{month}电费明显偏高，怀疑抄表员未上门估抄电量，要求核实并退还多收电费。'),
  ],
  'complaint.tariff': [
    t('电费突然增高', '客户投诉{addr}{month}电费{amount}元，比往月高出一倍多，家中用电习惯没有变化，要求核查。'),
    t('阶梯电价执行有误', '客户投诉家中{n}口人，已申请阶梯电量增加但未执行，{month}电费仍按原标准计算，要求更正。'),
  ],
  'complaint.new-connection': [
    t('报装超时未接电', '客户投诉{addr}新装用电申请已超过{n}个工作日仍未装表接电，多次催问无结果，要求尽快处理。'),
    t('增容办理繁琐', '客户投诉办理增容时被要求反复提交资料，跑了{n}趟营业厅仍未办完，要求简化流程。'),
  ],
  'complaint.supply-quality': [
    t('长期电压偏低', '客户投诉{addr}长期电压偏低，已多次反映未解决，晚上高峰期家电无法正常使用，要求彻底整改。'),
    t('电压波动损坏家电', '客户投诉{addr}电压不稳导致家中冰箱压缩机损坏，要求供电公司查明原因并赔偿。'),
  ],
  'complaint.grid-construction': [
    t('施工破坏路面未恢复', '客户投诉{addr}附近电缆施工挖开路面后已{n}周未恢复，影响通行，要求尽快修复。'),
    t('新建变压器离住宅太近', '客户投诉{addr}楼下新建箱式变压器离住宅过近，担心噪音和辐射，要求说明并协商迁移。'),
  ],
  'report.power-theft': [
    t('疑似窃电', '客户举报{addr}附近一户私拉电线绕过电表用电，晚上经常有大功率设备运行，请核查。'),
    t('私接电线', '客户举报{area}某商铺从路灯线路私接电线经营，存在安全隐患，请用电检查人员核查。'),
  ],
  'report.unauthorized-use': [
    t('居民电价用于经营', '客户举报{addr}附近有人用居民电表开设加工厂，长期按居民电价用电，请核查。'),
  ],
  'report.staff-misconduct': [
    t('工作人员索要好处', '客户举报办理业扩报装时工作人员{staff}暗示需要"打点"才能尽快接电，请严肃调查。'),
    t('工作人员推销指定产品', '客户举报抄表员{staff}上门时推销指定厂家的电器设备，请核实处理。'),
  ],
  'report.facility-damage': [
    t('有人偷盗电缆', '客户举报{addr}附近夜间有人挖掘并偷盗电缆，请尽快派人查看并报警处理。'),
    t('违章建筑压占线路', '客户举报{addr}附近有人在高压线下搭建彩钢房，存在安全隐患，请处理。'),
  ],
  'report.illegal-charges': [
    t('物业加价收电费', '客户举报{addr}所在小区物业代收电费时每度电加价收取，要求核查并制止。'),
  ],
  'opinion.service': [t('营业厅排队时间长', '客户反映{area}营业厅窗口开放少，每次办理业务都要排队一个多小时，建议增加窗口。')],
  'opinion.billing': [t('电费账单看不懂', '客户反映电费账单项目太多看不明白，希望账单能写清楚阶梯电量和电价的计算方式。')],
  'opinion.supply': [t('停电通知太晚', '客户反映计划停电通知贴出时间太晚，来不及做准备，希望至少提前一周通知。')],
  'opinion.channels': [t('网上国网操作复杂', '客户反映"网上国网"App操作复杂，老年人不会用，希望保留营业厅现金缴费。')],
  'suggestion.service-improvement': [t('建议上门服务老人', '客户建议对独居老人、行动不便的用户提供上门办理业务的服务。')],
  'suggestion.online-services': [t('建议增加电费提醒', '客户建议在微信公众号增加电费余额不足提醒和用电量分析功能。')],
  'suggestion.grid-planning': [t('建议改造老旧线路', '客户建议对{addr}一带的老旧线路进行改造，夏季用电高峰时经常跳闸。')],
  'suggestion.energy-saving': [t('建议推广节能宣传', '客户建议供电公司在社区开展安全用电和节约用电宣传活动。')],
  'praise.repair-crew': [
    t('表扬抢修人员', '客户来电表扬抢修人员{staff}，{time}停电后冒着风雪及时赶到，很快恢复了供电，服务热情周到。'),
    t('感谢连夜抢修', '客户来电感谢抢修班组连夜抢修，{addr}停电后不到两小时就恢复了供电。'),
  ],
  'praise.service-hall': [t('表扬营业厅工作人员', '客户来电表扬{area}营业厅工作人员{staff}耐心细致，帮助老人办理了更名过户业务。')],
  'praise.hotline': [t('表扬热线客服', '客户来电表扬95598客服代表服务耐心，解答清楚，问题一次解决。')],
  'praise.account-manager': [t('表扬客户经理', '客户来电表扬台区客户经理{staff}主动上门讲解电费政策，帮忙申请了峰谷电价。')],
  'service-request.new-connection': [
    t('新装用电申请', '客户申请在{addr}新装居民用电一户，房屋已竣工，请安排现场勘查和装表。'),
    t('增容申请', '客户申请将{addr}用电容量增加到{kva}kVA，用于新增生产设备，请安排勘查。'),
  ],
  'service-request.meter-test': [t('申请电能表校验', '客户怀疑{addr}电能表走字偏快，{month}电量明显增加，申请对电能表进行校验。')],
  'service-request.billing-check': [t('申请电量电费核查', '客户申请核查{addr}{month}电量电费，电费{amount}元，与家中实际用电不符。')],
  'service-request.name-transfer': [t('申请更名过户', '客户已购买{addr}二手房，申请将电费户名由原房主更名过户到本人名下。')],
  'service-request.reconnection': [t('欠费复电', '客户已于{time}通过微信缴清欠费{amount}元，家中仍未恢复供电，申请尽快复电。')],
  'service-request.time-of-use': [t('申请峰谷电价', '客户申请{addr}执行居民峰谷分时电价，家中有电动汽车，夜间用电较多。')],
  'service-request.ev-charger': [t('充电桩报装', '客户申请在{addr}小区自有车位安装电动汽车充电桩，物业已同意，请安排报装。')],
  'subscription.outage-notice': [t('订阅停电通知', '客户申请订阅{addr}所在台区的计划停电短信通知。')],
  'subscription.bill-notice': [t('订阅电子账单', '客户申请每月通过微信接收电子电费账单。')],
  'subscription.arrears-reminder': [t('订阅欠费提醒', '客户申请开通欠费提醒，避免因忘记缴费被停电。')],
  'subscription.balance-alert': [t('订阅余额预警', '客户申请开通智能电表余额不足预警短信，预警金额设为{amount}元。')],
  'inquiry.tariff': [
    t('咨询阶梯电价', '客户咨询居民阶梯电价的分档标准，以及家中{n}口人能否申请增加阶梯电量。'),
    t('咨询峰谷电价', '客户咨询峰谷分时电价的时段划分和价格，想了解是否划算。'),
  ],
  'inquiry.billing': [
    t('咨询电费为何偏高', '客户咨询{month}电费{amount}元比以往偏高的原因，希望查询每日用电量。'),
    t('咨询缴费方式', '客户咨询除营业厅外还有哪些缴费方式，以及如何开通银行代扣。'),
    t('咨询电费余额', '客户咨询{addr}电表余额和最近一次缴费记录。'),
  ],
  'inquiry.outage-info': [
    t('咨询停电原因', '客户咨询{addr}{time}停电的原因和预计恢复送电时间。'),
    t('咨询计划停电', '客户咨询{area}近期是否有计划停电安排，家中有重要用电需要提前准备。'),
  ],
  'inquiry.procedures': [
    t('咨询过户手续', '客户咨询办理更名过户需要携带哪些资料，能否网上办理。'),
    t('咨询新装流程', '客户咨询新房装表接电的流程和大概需要几个工作日。'),
  ],
  'inquiry.metering': [t('咨询电表读数', '客户咨询智能电表显示屏上各项读数的含义，以及如何自行查看用电量。')],
  'inquiry.distributed-solar': [
    t('咨询光伏并网', '客户咨询在{addr}屋顶安装分布式光伏的并网流程和补贴政策。'),
    t('咨询光伏电费结算', '客户咨询分布式光伏上网电量的结算周期和到账时间。'),
  ],
  'inquiry.online-services': [t('咨询网上国网使用', '客户咨询如何在"网上国网"App绑定户号并查询电费。')],
  'urging.repair-progress': [t('催办抢修进度', '客户再次来电催促{addr}停电抢修进度，已停电{n}小时，抢修人员仍未到达。')],
  'urging.application-progress': [t('催办业务办理进度', '客户来电催办{addr}的业务申请，已提交{n}个工作日仍无进展。')],
  'urging.complaint-progress': [t('催办投诉处理', '客户来电催办此前投诉的处理进度，至今无人联系，情绪较为激动。')],
  'urging.refund-progress': [t('催办退费进度', '客户来电催办多缴电费{amount}元的退费，已申请{n}个工作日仍未到账。')],
};

/** What callers say during a feeder outage (the mass incident). */
export const INCIDENT_TEMPLATES: readonly TextTemplate[] = [
  t('片区大面积停电', '客户反映{addr}{time}突然停电，整个小区和对面商铺都没电，请尽快抢修。'),
  t('小区停电', '客户反映{addr}所在小区{time}全部停电，电梯停运，询问什么时候能来电。'),
  t('整条街停电', '客户反映{addr}整条街{time}停电，路灯也不亮，听到附近有很响的声音。'),
  t('停电询问恢复时间', '客户反映{addr}{time}停电，家中有老人需要用制氧机，请尽快恢复供电。'),
];

export const REPAIR_RESULTS: readonly string[] = [
  '经现场检查为表箱内进户线接头烧损，已重新压接并更换受损导线，恢复供电。',
  '经查为低压线路熔断器熔断，已更换熔丝，恢复供电。',
  '经查为台区低压出线开关跳闸，已排查线路无异常后合闸送电。',
  '大风导致低压线路断线，已重新架设并紧固，恢复供电。',
  '10kV线路跌落式熔断器故障，已更换，恢复供电。',
  '经查为分支箱内电缆头击穿，已更换电缆头，恢复供电。',
  '经现场检查为客户内部漏电保护器故障，已协助客户更换，恢复用电。',
  '电能表烧损，已更换新表并核对底数，恢复供电。',
  '经测量台区末端电压偏低，已调整变压器分接头，电压恢复正常。',
];

export const SERVICE_RESULTS: Readonly<Record<string, readonly string[]>> = {
  complaint: [
    '已与客户当面沟通，核实情况属实，已对相关人员进行批评教育并向客户致歉。',
    '经核查，客户反映问题部分属实，已制定整改措施并向客户解释说明。',
    '已核查电量电费，确认计费正确，已向客户详细解释计费依据，客户表示理解。',
    '已安排技术人员现场测量并调整台区负荷，问题已解决。',
  ],
  report: ['已安排用电检查人员现场核查，情况属实，已依法处理。', '经现场核查，未发现举报所述问题，已向举报人说明。'],
  opinion: ['已将客户意见转相关部门研究，并向客户说明改进计划。'],
  suggestion: ['感谢客户建议，已转相关部门研究采纳。'],
  praise: ['已将表扬转达被表扬人员所在部门并记入个人服务档案。'],
  'service-request': ['已完成现场勘查并办理完毕，客户已签字确认。', '已按客户申请办理完成，相关费用已核对无误。', '已完成电能表校验，误差在允许范围内，已告知客户。'],
  subscription: ['已为客户开通订阅服务。'],
  inquiry: ['已核实相关信息并整理答复口径。'],
  urging: ['已督促责任部门加快处理，并反馈最新进度。'],
};

export const REPLIES: Readonly<Record<string, readonly string[]>> = {
  'fault-repair': ['您好，您反映的停电故障已处理完毕并恢复供电，感谢您的耐心等待。', '您好，您报修的故障已修复，如再有异常请随时拨打95598。'],
  complaint: ['您好，您反映的问题我们已核实处理，给您带来不便深表歉意，我们将加强管理、改进服务。', '您好，您的投诉已处理完毕，处理结果已由工作人员当面向您说明。'],
  report: ['您好，您举报的问题已安排核查处理，感谢您对电力工作的监督。'],
  opinion: ['您好，感谢您的宝贵意见，我们已转相关部门改进。'],
  suggestion: ['您好，感谢您的建议，我们会认真研究。'],
  praise: ['您好，感谢您的表扬，我们已转达相关人员。'],
  'service-request': ['您好，您申请的业务已办理完成。', '您好，您的申请已受理完毕，结果已短信告知。'],
  subscription: ['您好，订阅已开通，您将按所选渠道收到通知。'],
  inquiry: ['您好，您咨询的问题答复如下：请以营业厅或"网上国网"App查询结果为准。'],
  urging: ['您好，您催办的工单已加快处理，工作人员会尽快与您联系。'],
};

export const FCR_RESOLUTIONS: Readonly<Record<string, readonly string[]>> = {
  'fault-repair': ['已指导客户检查家中漏电保护器并复位，客户确认恢复用电。', '经核实为通信线路，已告知客户联系通信运营商处理。', '已告知客户该问题属非电力设施，已提供市政服务热线。'],
  inquiry: ['已按知识库口径向客户解答，客户表示清楚。', '已告知客户办理流程及所需资料，客户满意。', '已为客户查询电费明细并逐项解释，客户认可。'],
  subscription: ['已在系统中为客户开通订阅。'],
  praise: ['已记录客户表扬并致谢，将转达相关人员。'],
  urging: ['已查询原工单进度并告知客户预计完成时间，客户表示接受。'],
  opinion: ['已记录客户意见并向客户解释相关政策。'],
  suggestion: ['已记录客户建议并致谢。'],
  'service-request': ['已在电话中为客户办理完成。'],
};

export const RETURN_REASONS: readonly string[] = [
  '地址不在本班组管辖范围，请改派。',
  '工单信息不全，缺少户号和联系电话，无法处理。',
  '经联系客户，问题属计量装置故障，请转计量中心。',
  '需营业厅先核实电费和欠费情况后再处理。',
  '客户电话无法接通，地址描述不清，请核实后重新派发。',
];

export const REOPEN_REASONS: readonly string[] = [
  '回访时客户表示问题未解决，要求重新处理。',
  '客户来电反映恢复供电后再次停电。',
  '客户对处理结果不满意，要求重新核查。',
];

export const URGE_NOTES: readonly string[] = [
  '客户来电催办，询问处理进度。',
  '客户再次来电催促，情绪较为着急。',
  '客户第三次来电催办，要求尽快处理并回电。',
];

export const FOLLOW_UP_NOTES_SATISFIED: readonly string[] = ['客户对处理结果表示满意。', '客户表示问题已解决，服务满意。', '客户表示基本满意。'];

export const CONTACT_NOTES: readonly string[] = ['已电话联系客户，了解诉求并告知处理时限。', '已回电客户致歉并说明将在规定时限内处理。'];

export const REPAIR_DISPATCH_NOTES: readonly string[] = ['请尽快到达现场处理。', '客户家中有老人，请优先处理。', '请联系客户确认地址后出发。', '注意现场安全，做好防护。'];

export const OFFICE_DISPATCH_NOTES: readonly string[] = ['请核实后按时限回复。', '请联系客户了解详细诉求后处理。', '请按规定时限办结并反馈结果。'];

export const PAUSE_REASONS: readonly string[] = ['等待客户补充材料。', '客户要求改期上门，等待客户确认时间。'];

export const ESCALATION_REASONS: readonly string[] = ['客户情绪激动，要求上级处理。', '客户表示将向上级部门投诉。', '客户已拨打12398能源监管热线。'];

export const COMPLAINT_DEMANDS: readonly string[] = ['要求尽快解决并给予合理解释。', '要求当事人道歉。', '要求核实并退还多收电费。', '要求彻底整改，杜绝再次发生。'];

export const STAFF_SURNAMES: readonly string[] = ['王', '李', '张', '刘', '陈', '马', '赵', '韩', '杨', '祁'];
