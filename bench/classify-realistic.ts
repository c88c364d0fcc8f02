// A hand-written check set for the contact-reason and work-order-category classifier: how real
// customers type or say things (colloquial, typos, run-on sentences, dialect words), written for
// this bench and NOT taken from the demo seed's templates. Each text carries the wrap-up reason an
// agent would pick and the work-order category (a leaf) it would be filed under.

export type RealisticSample = { text: string; reasonCode: string; categoryCode: string; language: 'zh-CN' | 'en-US' };

const zh = (text: string, reasonCode: string, categoryCode: string): RealisticSample => ({ text, reasonCode, categoryCode, language: 'zh-CN' });
const en = (text: string, reasonCode: string, categoryCode: string): RealisticSample => ({ text, reasonCode, categoryCode, language: 'en-US' });

export const REALISTIC_SAMPLES: readonly RealisticSample[] = [
  // 无电 / 报修
  zh('喂 我家没电了 灯全黑了 对门好像有电', 'repair.no-power', 'fault-repair.low-voltage'),
  zh('刚才啪的一声家里就断电了，总闸推不上去，邻居都正常', 'repair.no-power', 'fault-repair.customer-internal'),
  zh('你们快派人来看看吧，我们这一户一直没电，冰箱都化了', 'repair.no-power', 'fault-repair.low-voltage'),
  zh('楼下电表箱里冒烟了，还有股烧焦的味道，现在整个单元都没电', 'repair.safety-hazard', 'fault-repair.low-voltage'),
  zh('门口那根电线被车挂断了耷拉在地上，小孩在旁边玩，太危险了', 'repair.safety-hazard', 'fault-repair.low-voltage'),
  zh('村口那个变压器一直嗡嗡响还冒火星子，吓死人了', 'repair.safety-hazard', 'fault-repair.high-voltage'),
  zh('我们整个村都停了，听说是高压线那边出问题了', 'outage.area-outage', 'fault-repair.high-voltage'),
  zh('家里的灯一闪一闪的，晚上电压特别低，电饭煲都煮不熟饭', 'repair.voltage', 'fault-repair.power-quality'),
  zh('一到晚上空调就启动不了，说是电压不够，这都好几天了', 'repair.voltage', 'fault-repair.power-quality'),
  zh('昨天电压突然很高，家里的电视机和路由器都烧了', 'repair.voltage', 'fault-repair.power-quality'),
  zh('电表屏幕黑了什么也不显示，钱是够的，但是家里没电', 'repair.meter-fault', 'fault-repair.metering'),
  zh('电能表上一直有个红灯在闪，是不是坏了啊', 'repair.meter-fault', 'fault-repair.metering'),
  zh('漏电开关老是跳，合上去一会儿又跳了，怎么办', 'repair.no-power', 'fault-repair.customer-internal'),
  zh('卧室和厨房没电，客厅有电，我也不懂电，能来个人看看吗', 'repair.no-power', 'fault-repair.customer-internal'),
  zh('小区门口的公共充电桩扫了码充不上电，显示故障', 'repair.meter-fault', 'fault-repair.charging-facility'),
  zh('路灯坏了好几天了，晚上走路黑乎乎的', 'other.general', 'fault-repair.non-power'),
  // 停电咨询
  zh('请问我们小区今天为啥停电啊，啥时候能来', 'outage.restore-time', 'inquiry.outage-info'),
  zh('停了快三个小时了还没来电，到底什么时候恢复', 'outage.restore-time', 'inquiry.outage-info'),
  zh('明天是不是要停电检修？几点开始几点结束？', 'outage.planned', 'inquiry.outage-info'),
  zh('听邻居说下周有计划停电，我家开了个小饭馆想提前准备一下', 'outage.planned', 'inquiry.outage-info'),
  zh('刚刚停电了，是线路出故障了吗', 'outage.fault-outage', 'inquiry.outage-info'),
  zh('我们这条街一整片都黑了，商铺也都停了，怎么回事', 'outage.area-outage', 'fault-repair.high-voltage'),
  // 电费电价
  zh('这个月电费咋这么贵，比上个月多了两百多', 'billing.bill-query', 'inquiry.billing'),
  zh('帮我查查上个月用了多少度电，交了多少钱', 'billing.bill-query', 'inquiry.billing'),
  zh('阶梯电价到底怎么算的啊 第二档是多少钱一度', 'billing.tariff', 'inquiry.tariff'),
  zh('峰谷电价晚上几点开始算便宜的，我想给电动车夜里充电', 'billing.tariff', 'inquiry.tariff'),
  zh('我家五口人，能不能多给点一档的电量', 'billing.tariff', 'inquiry.tariff'),
  zh('电费在手机上怎么交？支付宝能交吗', 'billing.payment', 'inquiry.billing'),
  zh('想办个银行卡自动扣电费，要去哪里办', 'billing.payment', 'inquiry.billing'),
  zh('我刚在微信上把欠的电费交了，怎么还不给我送电', 'billing.arrears', 'service-request.reconnection'),
  zh('欠了点电费就给我停了，也没人通知我一声', 'complaint.billing', 'complaint.meter-reading-billing'),
  zh('之前多交了三百块电费，申请退款半个月了还没到账', 'billing.refund', 'urging.refund-progress'),
  zh('电费余额还剩多少？我想看看最近一次是啥时候交的', 'billing.bill-query', 'inquiry.billing'),
  zh('我怀疑电表走得太快了，家里没怎么用电度数却涨了很多，能不能检测一下', 'billing.bill-query', 'service-request.meter-test'),
  zh('帮我核对一下十月份的电费，跟我自己抄的数对不上', 'billing.bill-query', 'service-request.billing-check'),
  // 业务办理
  zh('新房子交房了，想装个电表，需要带什么证件', 'business.new-connection', 'service-request.new-connection'),
  zh('厂里要加设备，想把用电容量提到200千伏安', 'business.new-connection', 'service-request.new-connection'),
  zh('二手房买下来了，电费户名还是原来房东的，想改成我的', 'business.name-transfer', 'service-request.name-transfer'),
  zh('过户要准备哪些材料，能在网上弄吗', 'business.name-transfer', 'inquiry.procedures'),
  zh('想在自家屋顶装光伏板发电，怎么申请并网，有补贴吗', 'business.solar', 'inquiry.distributed-solar'),
  zh('光伏卖给电网的钱多久结算一次啊，上个月的还没到', 'business.solar', 'inquiry.distributed-solar'),
  zh('地下车库的车位想装个充电桩，物业已经签字了', 'business.ev-charger', 'service-request.ev-charger'),
  zh('我报装的申请交了快两周了，一直没人联系我', 'business.progress', 'urging.application-progress'),
  zh('想申请一下峰谷分时电价，家里晚上用电多', 'billing.tariff', 'service-request.time-of-use'),
  // 投诉
  zh('营业厅那个女的态度太差了，问两句就不耐烦，我要投诉她', 'complaint.service', 'complaint.service-attitude'),
  zh('来修电的师傅说话很冲，修完一地垃圾也不收拾', 'complaint.service', 'complaint.service-attitude'),
  zh('打你们热线排了二十分钟才接通，问题还没解决，什么效率', 'complaint.service', 'complaint.service-attitude'),
  zh('这个月都停了四回电了，也不提前说，我店里生意都没法做', 'complaint.supply', 'complaint.outage'),
  zh('停电了一整晚才来人修，要求你们给个解释', 'complaint.supply', 'complaint.outage'),
  zh('我家电压长期偏低，反映了好几次了一直不解决，我要投诉', 'complaint.supply', 'complaint.supply-quality'),
  zh('抄表的根本没来过，电费是估的吧，比平时高一大截', 'complaint.billing', 'complaint.meter-reading-billing'),
  zh('电费翻了一倍，我家用电跟以前一样，肯定算错了，我要投诉', 'complaint.billing', 'complaint.tariff'),
  zh('新装用电申请一个多月了还不给接电，催了几次都没用', 'complaint.service', 'complaint.new-connection'),
  zh('你们挖电缆把路挖开了一个多月了也不填回去', 'complaint.supply', 'complaint.grid-construction'),
  zh('我上周投诉的事到现在都没人给我回电话', 'complaint.progress', 'urging.complaint-progress'),
  // 举报
  zh('隔壁那家私自拉线接电，绕过电表，晚上机器响个不停', 'other.report', 'report.power-theft'),
  zh('有人晚上在偷挖电缆，我看到好几次了', 'other.report', 'report.facility-damage'),
  zh('小区物业收电费一度电多收两毛钱，这合法吗', 'other.report', 'report.illegal-charges'),
  zh('办接电的时候那个工作人员暗示要给他好处费才能快点', 'complaint.staff', 'report.staff-misconduct'),
  zh('有人用居民电开小作坊，一直按民用电价交钱', 'other.report', 'report.unauthorized-use'),
  // 意见建议、表扬
  zh('建议你们APP上弄个停电地图，哪里停电一目了然', 'advice.channels', 'suggestion.online-services'),
  zh('营业厅就开两个窗口，每次都排一个多小时，多开几个吧', 'advice.service', 'opinion.service'),
  zh('我们村的电线都老化了，夏天一用空调就跳闸，建议改造一下', 'advice.grid', 'suggestion.grid-planning'),
  zh('网上国网太难用了，老人根本不会，还是希望能在营业厅交现金', 'advice.channels', 'opinion.channels'),
  zh('停电通知贴得太晚了，能不能提前几天发短信', 'advice.service', 'opinion.supply'),
  zh('昨晚下大雨还来抢修的那几个师傅辛苦了，特别感谢', 'praise.repair-crew', 'praise.repair-crew'),
  zh('营业厅的小王特别耐心，帮我妈把过户办好了，想表扬一下', 'praise.staff', 'praise.service-hall'),
  zh('刚才接电话的客服很专业，一下就帮我弄清楚了，点个赞', 'praise.staff', 'praise.hotline'),
  // 催办
  zh('早上报的修到现在师傅还没来，都停四个小时了', 'repair.progress', 'urging.repair-progress'),
  zh('上午报修的单子，师傅到哪儿了？', 'repair.progress', 'urging.repair-progress'),
  // 其他、订阅、App
  zh('网上国网登录不上去，一直提示密码错误', 'other.online', 'inquiry.online-services'),
  zh('怎么在APP上绑定我家的户号', 'other.online', 'inquiry.online-services'),
  zh('我想每个月收到电子账单，不要纸质的了', 'other.online', 'subscription.bill-notice'),
  zh('能不能停电前给我发个短信通知', 'other.online', 'subscription.outage-notice'),
  zh('电费快用完的时候能提醒我一下吗，怕忘了交被停电', 'other.online', 'subscription.arrears-reminder'),
  zh('营业厅周末开门吗 几点下班', 'other.general', 'inquiry.procedures'),
  // English
  en('Hi, the power in my apartment went out an hour ago, my neighbours still have lights', 'repair.no-power', 'fault-repair.low-voltage'),
  en('When will the electricity be back? Our whole block is dark since 7pm', 'outage.restore-time', 'inquiry.outage-info'),
  en('Why is my electricity bill so high this month? I was away for two weeks', 'billing.bill-query', 'inquiry.billing'),
  en('How can I pay my bill with a foreign bank card?', 'billing.payment', 'inquiry.billing'),
  en('The meter display is blank and flashing red, is it broken?', 'repair.meter-fault', 'fault-repair.metering'),
  en('I moved into a new flat and want to transfer the account to my name', 'business.name-transfer', 'service-request.name-transfer'),
  en('The engineer who came yesterday was very rude, I want to file a complaint', 'complaint.service', 'complaint.service-attitude'),
  en('I cannot log in to the State Grid app, it keeps saying wrong password', 'other.online', 'inquiry.online-services'),
];
