"""English words → the words the notice uses, so that an English question gets a Chinese BM25 query, and
the share of an English question the glossary knows, so that a question about nothing in the notice can
be told apart (weather, passports, restaurants score ~0).

Keys are lower-case English words and phrases in base form (inflections are folded by `_base`); values
are the notice's own words, space-separated, as BM25 over jieba tokens will see them. An empty value
marks a word as on-topic without adding a search term.
"""
from __future__ import annotations

import re

from rag.corpus.units import ENGLISH_NAMES

# (English variants separated by "|", the notice's words); grouped by the notice's parts and sections
_GROUPS: list[tuple[str, str]] = [
    # the notice itself and its vocabulary of reform
    ("business environment|doing business|ease of doing business|investment climate", "营商环境 优化营商环境"), ("notice|circular|implementation plan|action plan|plan", "通知 实施方案 行动方案"),
    ("document number|reference number|file number|doc number", "文号"), ("issue date|date of issue|publication date|issued|dated", "发文日期 发布"), ("measure|action|task|step", "措施 任务"),
    ("reform|pilot|pilot scheme|experiment", "改革 试点 探索"), ("responsibility|responsible unit|lead unit|in charge", ""), ("part|section|item|article|clause|paragraph", ""),
    ("goal|target|objective|aim", "目标 达到"), ("percentage|percent|proportion|ratio|share", "比例 以上"), ("rate", "率 比例"),
    ("time limit|deadline|how long|how much time|how many days|duration|timeframe|processing time", "时间 时限 压缩 办结"), ("minute", "分钟"), ("month|monthly", "月"), ("year|annual|yearly", "年 年度"),
    ("quarter|quarterly|every quarter", "每季度 季度"), ("fast|faster|quick|quickly|speed|speed up|accelerate|expedite|fast track|fast-track", "快办 提速 效率 压缩"),
    ("simplify|simplified|simple|streamline|easier|hassle", "简化 简易 简并 便利化"), ("procedure|process|steps|workflow|formality|formalities|red tape", "流程 程序 环节 手续"),
    ("requirement|condition|eligible|eligibility|qualify|qualified", "符合条件 条件"), ("list|catalogue|catalog|checklist|inventory", "清单 名单 目录"),
    ("standard|norm|specification|rule|regulations", "标准 规范 规则"), ("mechanism|system|framework|regime", "机制 制度 体系"),
    ("electronic|digital|digitize|digitise|digitalization|paperless|fully electronic", "电子化 电子 全程电子化 无纸"), ("online|on-line|internet|web|website|webpage|e-government", "网上 线上 在线 网办 一网通办 互联网"),
    ("offline|in person|in-person|on site|on-site|on the spot|spot|face to face", "线下 现场 当场"), ("remote|remotely|contactless|non-contact|without visiting|no visit|without going", "不见面办理 非接触式 远程 在线"),
    ("platform|portal|app|application system", "平台 系统 app"), ("database|data|big data", "数据 大数据"), ("information|info|disclosure|transparency|transparent|public|publicly", "信息 公开 透明"),
    ("query|search|look up|lookup|check status|inquiry|enquiry", "查询"), ("publish|release|announce|issue|disclose", "发布 公开 公布"), ("consult|consultation|advice|advisory", "咨询 政策咨询"),
    ("training|train|workshop|guidance|coach", "培训 辅导 宣传培训"), ("sharing|shared|data exchange|interconnect|mutual recognition|recognise|recognize", "共享 互认 协同"),
    ("coordination|coordinate|cooperation|collaboration|joint|jointly", "协同 协调 联动 联合"),
    ("cross-department|interdepartmental|inter-departmental|across departments|multiple departments", "跨部门 多部门 协同"),
    ("exempt|exemption|waive|waiver|free of|no need|not required|not needed|without needing", "免于 免予 无需 免费"), ("free|free of charge|no charge|no fee", "免费 无收费"),
    ("commitment|pledge|promise|undertaking|notification and commitment|notify and commit|self-declaration of compliance", "告知承诺 承诺 告知承诺制"),
    ("certificate|certification|proof|permit document", "证明 证书 证照"), ("license|permit|licence|licensing|approval document", "许可 许可证 证照 执照"),
    ("approval|approve|approving authority|review and approval|examination and approval", "审批 行政审批 审查"), ("apply|application", "申请"),
    ("form|forms|fill in|fill out|filling|paperwork", "填表 填报 表单 申请表 一表申请"), ("material|materials|documents|document|supporting document|paper|papers", "材料 提交 资料"),
    ("zero material|no documents|no paperwork|zero documents|zero paperwork", "零材料"), ("complaint|complain|grievance|appeal|report a problem", "投诉 举报 诉求"),
    ("feedback|opinion|demand|demands|grievances|difficulties|issue raised", "诉求 反馈 问题 困难"), ("supervision|supervise|regulation|regulate|regulatory|oversight|monitoring|monitor", "监管 监督"),
    ("enforcement|law enforcement|enforce|inspector|inspectors", "执法 执行 综合执法"), ("inspection|inspect|check|checks|spot check|examination|testing|test", "检查 查验 检测 抽查"),
    ("evaluation|evaluate|assessment|assess|appraisal|review", "评价 评估 评审 考核"), ("penalty|fine|fined|punish|punishment|sanction|sanctions|penalise|penalize", "处罚 行政处罚 惩戒"),
    ("violation|breach|offence|offense|illegal|misconduct|non-compliance", "违法违规 违规 违法"), ("risk|risks|risk control", "风险"), ("insurance|insure|insurer|policyholder", "保险"),
    ("fee|fees|charge|charges|cost|costs|price|pricing|expense|surcharge|overcharge|markup|mark-up", "收费 费用 缴费 成本"),
    ("payment|pay|paying|e-payment|electronic payment|settle|settlement", "支付 缴费 缴纳 结算 电子支付"), ("field|area|sector|industry|domain", "领域 行业"),
    ("region|regional|cross-region|cross-regional|across regions", "区域 跨区域"), ("nationwide|national|whole city|citywide|municipal", "全市 市级 国家"), ("district level|district-level", "区级"),
    ("street|town|township|sub-district|subdistrict|community|village", "街镇 社区 居村"), ("building|office building|commercial building|tower", "楼宇"),
    ("window|counter|service window|service counter|desk", "窗口 综合窗口"), ("staff|official|officials|civil servant|clerk|personnel|worker at the counter", "工作人员 人员"),
    ("small business|small businesses|small company|small firm|sme|smes|small and medium|small and micro|micro enterprise|microenterprise", "中小企业 小微企业 中小微企业"),
    ("soe|state-owned|state owned|state-owned enterprise", "国有企业 国资"), ("foreign|foreigner|foreigners|overseas|expat|expatriate|international", "外国 境外 海外 国际"),
    ("investor|investors|shareholder|shareholders|minority investor|minority shareholder|small investor", "投资者 中小投资者 投资者保护"), ("investment|invest|invested|investing", "投资"),
    # 一(一) online services and the one-netcom portal
    ("one netcom|one network|government online|one-stop online|one website|one portal|yiwangtongban|one net", "一网通办"),
    ("government service|government services|public service|public services|administrative service|administrative services", "政务服务 公共服务"),
    ("enterprise webpage|company webpage|dedicated webpage|dedicated page|exclusive webpage|company page|personalized page|personalised page", "企业专属网页"),
    ("smart approval|intelligent approval|automatic approval|auto approval|ai approval|smart", "智能审批 智能化 智能"), ("high-frequency|high frequency|common matters|frequently", "高频"),
    ("3 minute|three minute|three minutes", "3分钟 填报"), ("instant|immediately|real time|real-time|right away|at once", "即报即办 实时 立即 即"),
    # 一(二) offline and self-service
    ("comprehensive window|integrated window|general window|all-in-one window|single counter|one counter", "综合窗口 一窗"),
    ("one thing|get one thing done|one matter|one-thing|one service", "高效办成一件事 一件事"),
    ("self-service|self service|kiosk|terminal|machine|atm|self-service terminal|self-service machine", "自助 自助终端 自助服务"), ("bank branch|bank outlet|outlet", "银行网点"),
    ("appointment|book|booking|reservation|reserve|schedule", "预约"), ("window officer|counter officer|authorised window|authorized window", "窗口事务官 授权"),
    ("authorise|authorize|authorization|authorisation|delegate|delegation", "授权 授权支付"),
    ("service hall|service center|service centre|government service center|hall|lobby|one-stop center", "行政服务中心 政务服务中心 大厅"), ("visual identity|signage|logo", "视觉识别"),
    # 一(三) e-seals and e-licences
    ("e-seal|eseal|electronic seal|digital seal|electronic stamp|digital stamp|e-stamp|electronic chop|e-chop|seal|stamp|chop|company chop|official seal", "电子印章 印章"),
    ("e-signature|electronic signature|digital signature|esign|e-sign|sign|signature", "电子签名 签名"),
    ("e-license|electronic license|digital license|electronic certificate|e-certificate|digital certificate", "电子证照 电子证书 电子证明"),
    ("electronic archive|e-archive|electronic record|electronic file|archive|archives|records", "电子档案 档案"), ("e-contract|electronic contract|online contract", "电子合同"),
    ("commercial|business activities|commerce|transaction|transactions", "商务 商事 交易"),
    # 一(四) good-or-bad reviews
    ("satisfaction|satisfied|dissatisfied|unsatisfied|unhappy|not satisfied", "满意度 评价 差评"), ("rating|rate the service|review the service|score|star|feedback form", "评价 好差评"),
    ("good or bad review|good-bad review|good and bad review|haochaping", "好差评"),
    ("bad review|negative review|poor rating|bad rating|negative rating|negative feedback|bad service|rude|bad attitude", "差评 投诉 好差评"),
    ("rectify|rectification|fix|correct|correction|remedy", "整改 纠正"), ("reply|respond|response", "回复 反馈"), ("every service|each service|each item|every transaction", "一次一评 一事一评"),
    ("frontline|front line|grassroots|front desk|back office", "基层一线 前台 后台"),
    # 二(一) starting and closing a business
    ("start a company|start a business|set up a company|set up company|setting up|open a company|open company|register a company|register company|new company|incorporate|incorporation|company formation|establish|establishment|found a company", "企业开办 开办企业 设立登记"),
    ("registration|register|registering|registered|enrol|enroll|enrolment|enrollment", "登记 注册 登记注册"),
    ("deregistration|deregister|de-register|close down|close company|close down company|shut down|shut down company|wind up|winding up|dissolve|dissolution|liquidate|liquidation|cancel registration|cancellation|terminate company|closing down|close business", "注销 企业注销 注销登记"),
    ("simplified deregistration|simple deregistration|simplified cancellation|quick deregistration|easy deregistration", "简易注销"),
    ("one window|one-window|single-window system|yichuangtong|one window system", "一窗通"), ("business license|business licence|trading license|company license|operating license", "营业执照"),
    ("electronic business license|e-business license|digital business license|electronic business licence", "电子营业执照"), ("company name|business name|name registration|trade name|name", "企业名称 名称"),
    ("address|registered address|premises|domicile|office address|location", "住所 地址"), ("business scope|scope of business|scope", "经营范围 范围"),
    ("one form|single form|one application form|single application", "一表申请"), ("one-window issuance|collect at one window|one window pickup", "一窗发放"),
    ("social insurance|social security|pension|insured|enrol in social insurance", "就业参保 参保 社会保障"), ("housing fund|housing provident fund|provident fund", "公积金"),
    ("package|bundle|one package|all-in-one", "套餐式"), ("tax clearance|tax clearance certificate|clear tax|tax settled", "清税证明 清税"), ("pre-check|pre-examination|precheck|pre-screen|pre-review", "预检"),
    ("manual|human intervention|manual review|automatic recognition|auto-recognition|screening", "人工干预 自动识别 智能筛查"),
    # 二(二) construction permits
    ("construction permit|building permit|construction license|construction licence|dealing with construction permits|permit to build|construction permission", "施工许可 建筑许可 施工许可证"),
    ("construction|build|construct|building work|contractor|project site|construction site|worksite|plant|new plant", "工程建设 建设 建筑 施工"),
    ("project|construction project|building project|engineering project", "工程建设项目 项目"), ("approval system|approval management system|project approval system", "审批管理系统"),
    ("risk matrix|risk-based|risk grading", "风险矩阵"), ("quality|quality supervision|quality control|quality inspection", "质量 质量监管 质量监督"),
    ("completion acceptance|final acceptance|acceptance|completion inspection|handover|completion|as-built|commissioning", "竣工验收 综合竣工验收 验收"),
    ("review center|approval center|examination center|approval and review center", "审批审查中心"),
    ("intermediary|intermediaries|agency service|third-party service|consultancy|intermediary service", "中介服务"), ("municipal utility|public utility service|municipal service", "市政公用服务 市政"),
    ("government-invested|government investment|public investment|public project", "政府投资项目"), ("private investment|social investment|privately funded|private project|private", "社会投资项目 社会投资"),
    ("construction drawing|drawing|drawings|blueprint|blueprints|design document|design review|drawing review|plan review", "施工图 施工图审查 设计文件审查"),
    ("low-risk|low risk|simple project|small project", "低风险 低风险产业项目"), ("industrial project|industry project|manufacturing project", "产业项目"),
    ("flammable|explosive|toxic|hazardous|dangerous goods|chemical", "易燃易爆 有毒有害 安全环保"), ("heritage|historic|conservation area|historical area|cityscape", "风貌保护"),
    ("metro|subway|rail transit|railway", "轨道交通"), ("survey|surveying|mapping|surveyor|measurement|multiple surveys|one survey", "测绘 多测合一"),
    ("regional assessment|area assessment|zone assessment|environmental impact assessment|eia|environmental assessment|environmental review|impact assessment", "区域综合评估 评估评审 综合评估"),
    ("industrial park|park|industrial zone|development zone|business park|economic zone|zone", "园区 产业园区 经济小区"), ("architect|architects|architect responsibility|chief architect", "建筑师负责制 建筑师"),
    ("liability insurance|professional liability|engineering liability|professional indemnity", "工程责任保险"),
    ("latent defect|latent defects|hidden defect|defect|defects|quality defect|inherent defect|idi", "潜在缺陷保险 工程质量潜在缺陷保险 缺陷"),
    ("housing|residential|apartment|apartments|homes|home buyer|affordable housing", "住宅 保障性住宅 商品住宅"), ("land use|land|land-use|plot", "用地 土地"),
    ("planning permit|planning permission|planning license|planning licence|planning approval|land use planning", "规划许可 规划许可证 用地规划许可"),
    ("project approval|project initiation|project filing|project registration", "立项"), ("four stages|four approval stages|approval stage|stage|phase", "四个审批阶段 阶段"),
    ("guide|guideline|guidelines|instructions|handbook|how-to", "办事指南 指南"), ("dispute|disputes|conflict|disagreement|controversy", "纠纷 争议 矛盾"),
    ("construction dispute|building dispute|engineering dispute", "建设工程领域纠纷 仲裁"), ("arbitration|arbitrate|arbitrator|arbitral|arbitration commission", "仲裁 仲裁机构 仲裁员"),
    ("expert|experts|specialist panel|expert pool", "专家 专家库"), ("joint inspection|joint supervision|joint check|combined inspection|single inspection|one inspection", "联合监督检查 联合检查 联合抽查"),
    ("property certificate|title certificate|title deed|deed|ownership certificate|property title|title", "不动产权证 权证 产证"),
    ("first registration|initial registration|first-time registration", "不动产首次登记 首次登记"), ("acceptance and registration|register on completion|one certificate", "验登合一 一次发证"),
    ("fire|fire safety|fire protection|fire inspection|fire acceptance|fire department|firefighting", "消防验收 消防"),
    ("construction supervision|supervision firm|supervising engineer|site supervisor|supervision engineer|project supervisor|engineering supervision|supervisor", "监理 监理机构"),
    ("compulsory|mandatory|obligatory|required by law|forced|force", "强制 强制聘请"), ("hire|hiring|employ|engage|appoint", "聘请 招聘 用工"),
    # 二(三) registering property
    ("property registration|registering property|real estate registration|land registration|property register", "不动产登记 财产登记"),
    ("property|real estate|realty|house|office space|office premises|plant building|building ownership|immovable property", "不动产 房地产 房产 存量房"),
    ("property transfer|transfer of property|transfer ownership|ownership transfer|transfer of ownership|conveyance|transfer|buy|buys|purchase|sell|sale|resale", "转移登记 转让 过户 交易"),
    ("deed tax|stamp duty|transfer tax", "契税"), ("tax payment|pay tax|tax paid|pay taxes|tax due", "缴税 纳税 完税 缴纳"), ("taxpayer|taxpayers|tax payer", "纳税人"),
    ("90 minute|ninety minute|one and a half hour", "90分钟"), ("one visit|at most one trip|one trip|only once|single visit|visit only once|one-time visit|at most one visit|run once", "最多跑一次 一次"),
    ("courier|mail|mailed|delivery|deliver|express|express delivery|post|posted|shipped to", "快递 送达 快递送达"),
    ("electronic title|e-title|digital title|electronic property certificate", "电子权证 不动产登记电子证明 电子证书"), ("print|printer|printing|self-print", "打印 自助打证机"),
    ("mortgage|mortgaged|collateral|secured loan|lien", "抵押 抵押登记 质押"), ("seizure|seized|encumbrance|encumbrances|attachment", "查封 产权负担"),
    ("due diligence|background check|background information", "尽职调查"), ("cadastral|cadastre|cadastral map|cadastral survey|land survey|plot map", "地籍 地籍测绘 地籍图"),
    ("receipt|e-receipt|electronic receipt|bill|bills|voucher", "电子票据 票据"), ("tax payment certificate|tax certificate|proof of tax|tax receipt", "完税证明 电子完税证明 税务证明"),
    ("identity verification|identity check|verify identity|id check|identification|real-name", "身份核验"), ("cable tv|cable television|television|tv", "有线电视"),
    ("utility transfer|transfer utilities|transfer water and electricity|water electricity and gas", "水电气联动过户 水电气 联动过户"), ("bank|banks|commercial bank|lender|lenders", "银行 商业银行"),
    # 二(四) getting electricity, gas and water
    ("electricity|power|power supply|electric|electrical|electricity connection|get electricity|getting electricity|grid|grid connection|power connection", "用电 供电 接电 电力 办电"),
    ("gas|natural gas|gas supply|gas connection|piped gas|lpg", "用气 供气 燃气"), ("water|water supply|water connection|tap water|running water|get water", "用水 供水 接水 自来水"),
    ("drainage|sewage|sewer|wastewater|storm water|stormwater|discharge", "排水 排水接入"),
    ("utility|utilities|public utility|utility connection|utility company|utility companies", "公用事业 公用事业接入 市政接入 水电气"),
    ("connection|connect|connecting|hook up|hookup|access|installation|install", "接入 报装"), ("one-click|one click|plug and play|instant connection", "一键接入"),
    ("pre-installation|pre-install|install in advance|advance installation", "预装 提前"), ("open an account|account opening|new account", "开户"),
    ("high voltage|high-voltage|10kv|10 kv|10kv customer|kv|kilovolt", "10千伏 高压 高压供电"), ("low voltage|low-voltage", "低压 低压小微企业"),
    ("excavation|dig|digging|road digging|road excavation|dig up the road|road occupation|occupy road|road works", "占掘路许可 路政许可"),
    ("greening permit|green space|greenery|tree|trees|greening", "绿化许可 绿化"), ("parallel|concurrent|concurrently|simultaneously|in parallel|at the same time", "并联办理 同步 并联"),
    ("energy|energy service|equipment|lease|leasing|rent|rental|maintenance|upkeep|upgrade", "综合能源 设备 租赁 维护保养 升级更新"),
    ("financing solution|upfront cost|up-front cost|initial investment|one-off cost|capital cost", "资金解决方案 一次性投入成本"),
    ("resell|resale of electricity|resells|resold|sub-supply|submeter|sub-meter|landlord|property management|property manager|middleman", "转供电 转供电环节收费 物业"),
    ("direct supply|direct power supply|direct connection|supplied directly", "直供电"), ("exposure|name and shame|publicly expose|expose", "曝光"),
    # 二(五) paying taxes
    ("tax|taxes|taxation|taxing|tax affairs|tax matters", "税 税费 纳税 办税 税务 税收"), ("tax filing|tax return|tax returns|file tax|declare|declaration|filing|file|report tax|returns", "申报 纳税申报 综合申报 申报表"),
    ("combined filing|comprehensive declaration|joint filing|consolidated filing|five taxes|several taxes|multiple taxes", "综合申报 五税种 简并申报表"),
    ("tax cut|tax cuts|tax relief|tax reduction|fee reduction|reduce taxes|lower taxes|tax burden", "减税降费 负担"),
    ("tax incentive|tax incentives|tax preference|preferential tax|tax break|tax breaks|tax benefit|tax benefits|preferential policy|preferential", "税收优惠 优惠政策 应享尽享"),
    ("vat|value-added tax|value added tax", "增值税"), ("special invoice|vat invoice|special vat invoice|vat special invoice", "增值税专用发票 专用发票"),
    ("invoice|invoices|fapiao|e-invoice|electronic invoice|e-fapiao|invoicing|billing", "发票 电子发票 开票"),
    ("tax refund|refund|refunds|rebate|tax rebate|export tax rebate|export tax refund|drawback", "退税 留抵退税 出口退税"),
    ("input tax credit|excess input|retained credit|retained tax credit|credit refund|vat credit|incremental credit|uncredited", "留抵 增量留抵退税 留抵退税"),
    ("small-scale taxpayer|small scale taxpayer|small taxpayer|small-scale|general taxpayer", "小规模纳税人 纳税人"), ("electronic tax bureau|e-tax|etax|online tax|e-tax bureau|tax app|tax portal", "电子税务局"),
    ("reminder|remind|notify|notification|alert|push|proactive|tell us|inform", "提示提醒 推送 精准推送 主动"),
    ("keep on file|record keeping|retain for inspection|keep records|submit in advance|prior submission", "留存备查 事前报送"), ("unbilled|uninvoiced|not invoiced", "未开票收入"),
    # 二(六) trading across borders
    ("customs|customs clearance|clearance|clear customs|customs declaration|customs broker|customs office", "海关 通关 口岸通关"), ("import|imports|importer|importing", "进口 进出口"),
    ("export|exports|exporter|exporting", "出口 进出口"), ("import and export|imports and exports|trader|traders", "进出口 进出口企业"),
    ("cross-border|cross border|foreign trade|international trade|trading across borders|overseas trade|trade|trading", "跨境贸易 国际贸易 贸易"),
    ("advance declaration|early declaration|pre-declaration|declare in advance|declare early|declare before arrival", "提前申报"), ("two-step declaration|two step declaration|two-step", "两步申报"),
    ("two-stage access|two stage access|two-stage", "两段准入"),
    ("unaccompanied|unaccompanied inspection|without being present|without staff present|being present|present|presence|accompany|accompanied|attend", "无陪同查验 陪同 查验"),
    ("audit|auditing|audits|verification|post-clearance audit", "稽核查 审计 在线稽核查"), ("tariff|tariffs|duty|duties|customs duty|import duty", "关税"),
    ("guarantee insurance|tariff insurance|customs bond|bond|surety|surety bond", "关税保证保险 保证保险"), ("self-assessment|self-declaration|self-pay|self assessment|declare and pay|self-reporting", "自报自缴"),
    ("consolidated payment|aggregate|aggregated|batch payment|monthly payment|summary tax", "汇总征税"), ("third-party|third party|third parties", "第三方采信 第三方"),
    ("goods|cargo|shipment|shipments|freight|container|containers", "货物 无干预通关"), ("hotline|phone|telephone|phone number|call|helpline|hot line", "热线 服务热线"),
    ("wechat|weixin|mini program|official account", "微信 微信平台"), ("coordinator|liaison|liaison officer|contact person|account officer", "协调员 关企协调员 联络"),
    ("port|harbour|harbor|shipping agent|shipping|tally|terminal charges|seaport|sea port|maritime|ocean freight", "港口 船代 理货 海运口岸 口岸"),
    ("single window|international trade single window|single-window", "单一窗口"), ("logistics|supply chain", "物流 口岸物流"), ("law-abiding|compliant|trusted trader|good record|aeo", "守法企业 无干预通关"),
    # 二(七) finance
    ("finance|financing|financial|loan|loans|borrow|borrowing|funding|capital|credit line|lending", "融资 金融 贷款 授信"), ("inclusive finance|microfinance|micro-finance|financial inclusion", "普惠金融"),
    ("guarantee|financing guarantee|loan guarantee|guarantor|credit guarantee", "担保 融资担保 政策性融资担保"), ("expensive|costly|high cost|hard to get|difficult to get", "融资难 融资贵"),
    # 二(八) intellectual property
    ("intellectual property|ip|ipr|iprs|intellectual property right|intellectual property rights", "知识产权"), ("patent|patents|patented|invention|utility model", "专利 知识产权"),
    ("trademark|trademarks|brand|brands|logo infringement", "商标 知识产权"),
    ("infringement|infringe|infringed|infringing|copy|copied|copycat|counterfeit|counterfeiting|fake|piracy|pirated|stolen", "侵权 侵权举报 侵权纠纷"),
    ("report|reporting|tip-off|whistleblow|whistle-blow|denounce", "举报 报送"), ("pledge financing|ip pledge|ip-backed loan|ip financing|patent pledge|patent loan|patent-backed", "知识产权质押融资 质押融资"),
    ("patent fee|patent fees|patent subsidy|annual fee|filing fee subsidy", "专利费 专项资助"),
    ("subsidy|subsidies|grant|grants|funding support|financial support|support fund|allowance|reimbursement", "资助 资金扶持 补贴"),
    ("custody|trusteeship|managed service|ip management|hosting", "托管 知识产权托管"), ("e-commerce|ecommerce|online shop|online store|online retail|online sales|cross-border e-commerce", "电子商务 跨境电子商务 电商"),
    ("adjudication|administrative ruling|ruling|administrative adjudication", "行政裁决 裁决"), ("case|cases|lawsuit case|typical case|major case", "案件 典型案件"),
    # 二(九) the labour market
    ("employment|job|jobs|employee|employees|staffing|workforce", "就业 用工 员工"), ("labor dispute|labour dispute|employment dispute|labor disputes|personnel dispute|workplace dispute", "劳动争议 劳动人事争议"),
    ("mediation|mediate|mediator|mediators|mediated|conciliation", "调解 调解组织"), ("labor arbitration|labour arbitration|employment arbitration", "劳动仲裁 仲裁"),
    ("circuit court|mobile court|tribunal|circuit tribunal|roving court|hearing", "巡回庭 开庭"),
    ("worker|workers|laborer|laborers|labourer|labour|labor|worker rights|labor rights|employee rights", "劳动者 劳动者权益保障 劳动"),
    ("migrant worker|migrant workers|rural worker|rural workers|migrant", "农民工"),
    ("wage|wages|salary|salaries|unpaid wage|unpaid wages|wage arrears|arrears|back pay|not paid|owed wages|withheld wages", "工资 工资拖欠 拖欠"),
    ("flexible employment|gig|gig work|odd job|odd jobs|part-time|temporary work|freelance|freelancer|shared employment|casual labor", "灵活就业 零工市场 共享用工"),
    ("job fair|job fairs|recruitment|recruit|recruiting|talent fair|hiring fair", "招聘会 招聘 招工"), ("labour market|labor market|labor services market", "劳动力市场 劳务市场"),
    ("early warning|warning|alarm|prevention|prevent", "预警 预防"),
    # 二(十) innovation and start-ups
    ("start-up period|startup period|startup phase|start-up phase", "创业期内 创业"),
    ("startup|start-up|startups|start-ups|entrepreneurship|entrepreneur|entrepreneurs|innovation|innovate|founder|venture", "创新创业 创业 创新"),
    ("science park|tech park|technology park|science and technology park|innovation park|campus", "科技园 千亿级科技园"),
    ("technology transfer|tech transfer|commercialization|commercialisation|research results|research findings|scientific achievements|r&d results", "科技成果转化 成果转化 技术转让"),
    ("high-tech|high tech|hi-tech|high technology|new technology", "高新技术 新技术"), ("technology contract|technical contract|tech contract", "技术合同 认定登记"),
    ("technology|tech|science|scientific|scientist|scientists|researcher|researchers|r&d", "科技 科学技术"),
    ("foreign talent|foreign talents|foreign professional|foreign employee|foreign staff|foreign worker|overseas talent", "外国人才 海外人才"),
    ("foreign scientist|foreign scientists|foreign researcher|foreign researchers|foreign expert|foreign experts|foreign engineer|foreign engineers", "外国科技人才"),
    ("criminal record|no criminal record|non-criminal record|police clearance|background certificate", "无犯罪记录"),
    ("work permit|work visa|employment permit|work license|working permit|z visa|work authorization", "工作许可"), ("incubator|incubation|accelerator|maker space|makerspace|co-working", "孵化载体 载体"),
    ("returnee|returnees|overseas student|overseas students|study abroad|returned student|returned students|haigui|overseas graduate", "留学人员 留学人才 留学人员创业园"),
    ("talent|talents|talented|professional|professionals|skilled", "人才 人才服务"), ("university|college|research institute|academy|institute", "校地 院地 研究机构"),
    # 二(十一) enforcing contracts
    ("contract enforcement|enforce a contract|enforcing contracts|enforcing a contract|contract dispute|breach of contract", "执行合同 合同"),
    ("contract|contracts|agreement|sales contract|purchase contract|loan contract|entrustment contract", "合同 买卖合同 金融借款合同 委托合同"),
    ("lawsuit|sue|suing|litigation|litigate|court case|file a case|case filing|file a lawsuit|legal action|take to court", "诉讼 立案 案件"),
    ("online filing|e-filing|file online|online case filing|online litigation|online court", "网上立案 网上诉讼服务平台 网上办案"),
    ("court|courts|judge|judges|trial|trials|judicial|judiciary|adjudicate", "法院 审判 司法 开庭"), ("smart court|digital court|intelligent court", "智慧法院"),
    ("random assignment|case assignment|case allocation|assign cases", "随机自动分案 分案"),
    ("electronic service|e-service|serve documents|service of documents|service of process|serve|served|summons", "电子送达 送达 法律文书送达"),
    ("judicial appraisal|forensic|forensic appraisal|forensic identification|judicial expertise|expert witness", "司法鉴定 鉴定"), ("notary|notarization|notarisation|notarial|notarize", "公证"),
    ("legal document|legal documents|court documents|judgment|judgement", "法律文书"), ("address for service|service address|delivery address|mailing address", "送达地址 法律文书送达地址"),
    ("execution|enforce judgment|enforcement of judgment|collect debt|debt collection", "执行 执行合同 动产执行"),
    ("court fee|court fees|filing fee|filing fees|litigation fee|litigation fees|legal costs|application fee|application fees|prepay|prepaid|advance payment", "诉讼费用 申请费 预交 减免"),
    ("lawyer|lawyers|attorney|attorneys|legal practitioner|counsel|legal professional", "律师 法律从业人员"),
    ("postpone|postponed|postponement|adjourn|adjourned|adjournment|delay|delayed|extension", "延期开庭 延期"),
    ("paper copy|hard copy|paper version|printed copy|duplicate|resubmit|submit again", "纸质 重复提交"),
    ("civil and commercial|commercial case|commercial dispute|commercial disputes|civil case|civil", "民商事 商事 民商事案件"),
    ("consumer finance|fintech|tech finance|platform dispute|class action|group dispute|mass dispute", "消费金融 科技金融 群体性纠纷"),
    # 二(十二) insolvency
    ("bankruptcy|bankrupt|insolvency|insolvent|goes bankrupt|go bankrupt|resolving insolvency|failing company|failed company", "破产 破产案件 办理破产"),
    ("restructuring|restructure|reorganization|reorganisation|rescue|revive|turnaround|distressed", "重整 重整再生 危困企业"),
    ("court-government|court and government|government and court|court-government coordination|government-court", "府院联动"),
    ("asset|assets|asset disposal|dispose|disposal|sell off|liquidation assets|vehicle|vehicles|estate", "财产 财产处置 处置 车辆 房产"), ("trustee|administrator|receiver|take over|takeover", "财产接管 接管"),
    # 三(一) market access
    ("market access|market entry|entry|negative list|barrier|barriers|restriction|restrictions|obstacle|obstacles", "市场准入 壁垒 限制"),
    ("one industry one license|one industry one permit|one license|one permit|single license|single permit|comprehensive license|industry license", "一业一证"),
    ("fair competition|competition|antitrust|anti-monopoly|monopoly|unfair competition|level playing field|competitive neutrality|discrimination", "公平竞争 公平竞争审查 竞争中性 排除 限制竞争"),
    ("ownership|private enterprise|private company|privately owned|non-state|all types of enterprises", "所有制 各类所有制企业"),
    # 三(二) inclusive and prudent supervision
    ("inclusive and prudent|prudent supervision|tolerant|lenient|leniency|lenient supervision|flexible supervision|soft regulation", "包容审慎监管 柔性监管 从轻处罚"),
    ("minor violation|minor violations|minor offence|minor offences|minor offense|first offence|first offense|minor|slight", "轻微违法违规 轻微"),
    ("no penalty|no punishment|penalty exemption|exempt from penalty|not punished|waive penalty|exemption list", "免予处罚 免予处罚事项清单"),
    ("meteorology|meteorological|weather bureau|weather service|lightning", "气象"),
    ("administrative coercion|coercive|coercive measure|coercive measures|compulsory measure|compulsory measures|seal up|freeze|frozen", "行政强制措施 不予实施行政强制措施清单 强制"),
    ("sandbox|regulatory sandbox|grace period|trigger-based|trigger|tolerance period", "沙盒监管 包容期 触发式监管"),
    ("new economy|online economy|new business model|new business models|new industries|new formats|platform economy|digital economy|new business", "在线新经济 新业态 新模式 新产业"),
    # 三(三) credit supervision
    ("credit|credit rating|credit score|creditworthiness|trustworthiness|credit record|credit history|credit report|credit information", "信用 公共信用 信用评价 信用报告 信用信息"),
    ("credit repair|repair credit|restore credit|credit restoration|clean credit|clear my record|remove from blacklist|rehabilitate|repair|restore", "信用修复 修复"),
    ("dishonest|dishonesty|blacklist|blacklisted|untrustworthy|discredited|bad credit|default|defaulter|listed", "失信 失信主体 失信惩戒 失信记录"),
    ("joint punishment|joint reward|reward and punishment|rewards and punishments|joint incentives", "联合奖惩 奖惩"),
    ("classified supervision|tiered supervision|graded supervision|category supervision|classification", "分类监管 信用分类监管"), ("legal person|corporate|legal entity|legal representative", "企业法人 法人"),
    # 三(四) double-random inspections
    ("random inspection|random inspections|random check|random checks|double random|random|spot checks|unannounced", "双随机 一公开 随机抽查 抽查"),
    ("one visit inspection|one door|one visit multiple checks|check several things|several things|multiple things|multiple items|same visit", "进一个门 查多项事 联合抽查"),
    ("internet plus supervision|internet+ supervision|internet+ regulation|online supervision", "互联网+监管"), ("annual plan|yearly plan|annual inspection plan|joint meeting", "年度计划 联席会议"),
    # 三(五) comprehensive law enforcement
    ("discretion|discretionary|benchmark|benchmarks|discretion benchmark|discretionary standard|penalty standard|sentencing guideline", "裁量基准 自由裁量权 行政处罚裁量基准"),
    ("mobile enforcement|handheld enforcement|mobile app enforcement", "掌上执法"), ("body camera|recording|record the process|whole-process record", "执法全过程记录"),
    ("legal review|legality review|legal audit", "法制审核"), ("enforcement disclosure|enforcement publicity", "行政执法公示"),
    # 三(六) procurement and bidding
    ("procurement|government procurement|public procurement|purchasing|procure|supplier|suppliers|government contract|government contracts", "政府采购 采购"),
    ("tender|tendering|bid|bidding|bids|bidder|bidders|tenders|auction|bid evaluation|bid opening", "招标投标 招投标 评标"),
    ("remote bid evaluation|remote evaluation|off-site evaluation|remote review", "远程异地评标"),
    ("public resource trading|public resources trading|public resource|public resources|trading platform|exchange platform|one network trading", "公共资源交易 一网交易 公共资源交易平台"),
    ("road maintenance|highway maintenance|road repair|road works maintenance|highway", "公路养护"), ("treasury|centralized payment|centralised payment|state treasury|fiscal", "财政国库集中支付 财政"),
    ("late payment|overdue payment|unpaid|owe|owed|owes|owing|payment delay|delayed payment|arrears of payment|accounts receivable|receivables|debt|debts|money owed", "拖欠账款 拖欠 账款"),
    ("electronic certification|e-authentication|digital certificate authority|ca certificate", "电子认证"),
    # 四(一) policies for enterprises
    ("policy|policies|support policy|support policies|incentive|incentives|benefit|benefits|perk|perks|preferential policies|government support|business support|relief", "惠企政策 政策 涉企政策"),
    ("policy platform|one window for policies|policy portal|policy service", "一窗通办 惠企政策专窗 系统平台"), ("enterprise service cloud|service cloud|business service cloud|cloud", "企业服务云"),
    ("matching|policy matching|tailored|targeted|precise|personalized|personalised|customized|customised|suitable", "精准推送 匹配 精准 个性化"),
    ("direct|directly|automatic|automatically|without applying|no application", "直达 智能办理 精准提示"), ("awareness|publicity|promotion|promote|advertising|media|propaganda|news", "宣传 知晓率 新媒体 报道"),
    ("last mile|last kilometre|last kilometer", "最后一公里"),
    # 四(二) assisted service
    ("helper|help|assistance|assist|agent|concierge|butler|assisted service|hand-holding|guide me|escort|handhold", "帮办 帮办服务 管家式"),
    ("one-on-one|one on one|one-to-one|one to one|personal service|dedicated|account manager|relationship manager|service officer|case officer", "一对一 管家式 企业服务专员"),
    ("service specialist|service commissioner|enterprise service specialist|business liaison|service team", "企业服务专员 企业服务专员制度 服务队伍"), ("dingtalk|ding talk|dingding", "钉钉app 钉钉"),
    ("one network excellent service|yiwangyoufu|enterprise service platform", "一网优服 企业服务平台"),
    # 四(三) services in industrial parks
    ("grid-based|gridded|grid management|grid service", "网格化 网格化服务"), ("listing|ipo|go public|stock listing|list on the stock exchange", "挂牌上市"),
    ("accommodation|dormitory|dormitories|housing for staff|employee housing|staff housing", "员工住宿"),
    ("investment attraction|attract investment|investment promotion|retain business|retention", "招商 安商稳商"),
    ("customized service list|special service list|personalized service list", "专项服务清单 个性化服务清单 清单式服务"),
    # 四(四) dispute resolution
    ("alternative dispute resolution|diverse dispute resolution|adr|non-litigation|out of court|out-of-court|instead of going to court|settle out of court|without going to court", "多元纠纷化解 非诉讼 非诉 非诉讼争议解决中心"),
    ("commercial mediation|business mediation|trade mediation", "商事调解 商事调解组织"), ("investor protection|protect investors|minority shareholders|small shareholders", "投资者保护 中小投资者"),
    ("administrative reconsideration|reconsideration|administrative appeal|administrative review", "行政复议"),
    ("small claims|small-claims|small amount|small value|small-value|minor claims|quick ruling|fast-track ruling", "小额速调 速裁"),
    ("people's mediation|people mediation|community mediation|neighborhood mediation", "人民调解"),
    ("pre-litigation|before litigation|mediation first|court-annexed mediation|court mediation", "先行调解 诉调对接 诉讼调解"), ("risk screening|conflict screening|troubleshoot|hidden risks", "矛盾纠纷排查 风险隐患"),
    ("legal advice|legal aid|legal consultation|legal education|law education|legal awareness", "法律法规政策咨询 法治宣传教育"), ("securities|futures|securities and futures", "证券期货"),
    # 四(五) government–business communication
    ("communication|communicate|dialogue|channel|channels|contact channel|voice concerns|hear from", "政企沟通 沟通 渠道 诉求"), ("weibo|two micro one end|social media|new media", "两微一端 新媒体"),
    ("visit|visits|regular visits|symposium|forum|forums|meeting|meetings|roundtable", "走访 定期走访 会议论坛"),
    ("ombudsman|observer|supervisor of the business environment|business environment supervisor", "营商环境监督员"),
    ("entrepreneur award|outstanding entrepreneur|excellent entrepreneur|entrepreneurial spirit|award|awards", "优秀企业家评选 企业家精神 评选"),
    ("government-business relations|cordial and clean|clean relations|anti-corruption|corruption|bribery|integrity|interaction with officials", "亲清政商关系 政商交往"),
    # 四(六) the Yangtze River Delta
    ("yangtze river delta|yangtze delta|yrd|delta|three provinces|jiangsu|zhejiang|anhui|neighbouring provinces|neighboring provinces", "长三角 三省一市 长三角区域"),
    ("cross-province|inter-provincial|across provinces|other provinces|cross-provincial|cross province", "跨省 跨省通办 通办"),
    ("foreign investment|foreign-invested|foreign invested|foreign-invested enterprise|foreign invested enterprise|wfoe|fie|joint venture|foreign company|foreign investor|foreign investors|overseas investor|overseas investors", "外商投资企业 境外投资者 外国投资者 外商投资"),
    ("qualification certificate|subject qualification|identity documents of investor|certificate of incorporation", "主体资格证明 主体资格证明文件"),
    ("rule of law|legal protection|legal safeguard|legal guarantee", "法治保障 法治"),
    # 五 publicity and supervision
    ("special column|column|dedicated column|section on the website", "专栏 优化营商环境专栏"),
    ("best practice|best practices|case study|case studies|success story|success stories|example|examples|experience", "典型案例 经验做法 先进事迹"), ("video|videos|short video|documentary|film", "微视频 专题片"),
    ("inspection team|supervision and inspection|oversight inspection|government inspection|accountability", "督查 督查考核 问题整改"),
    ("kpi|performance|performance evaluation|appraisal of departments|bonus points", "考核 绩效考核 加分"),
    ("evaluation index|indicator|indicators|index|metrics|survey of enterprises|satisfaction survey", "评价指标体系 测评 满意度"), ("leading group|steering group|office of the leading group", "领导小组办公室"),
]

# words that say nothing about the topic: they still expand through the glossary but never count for
# coverage. Company words, place names and everyday words (online, buy, time, phone) are here because
# questions on any topic carry them.
STOP_WORDS = set("""
a an the this that these those there here it its it's i me my mine we us our ours you your yours he him his she her
they them their who whom whose what which when where why how whats what's hows is are was were be been being am do
does did done doing have has had having get gets got getting can could will would shall should may might must of to
in on at by for with from about into onto over under after before during within without between through against up
down out off again further then once and or but if so as than too very just only also still even both either neither
each every all any some such no nor not own same other others more most much many few lot lots s t d ll m re ve don
doesn didn isn aren wasn weren won wouldn couldn shouldn cannot let lets please tell know like want wants wanted need
needs needed mean means say says said explain give make take use used way thing things something anything someone
anyone anybody people person one two yes okay ok hi hello thanks thank now yet whether currently available possible
company companies firm firms business businesses enterprise enterprises corporation corporations factory factories
shanghai jiading china chinese district city local government department departments agency agencies unit units
bureau bureaus office offices authority authorities organisation organization body bodies contact handle handles
handled handling responsible deal deals dealt go going come coming able carry carried become becomes becoming
obtain obtained receive received acquire sure new find found provide provided offer offered allow allowed there's where's does it still actually really
best good better bad big small large kind type types time long day days hour hours week weeks month months year years
minute minutes today online internet web website app phone call number information info help problem question
questions apply application form forms list rule rules system service services plan work case cases public check
name data buy sell purchase pay price cost free fast quick quickly simple easy open start rate different several
instead separately separate already everything everyone whole since until while
""".split())

# articles and possessives, dropped before phrase matching: "close down my company" is "close down company"
_SKIP = {"a", "an", "the", "our", "my", "your", "their", "its", "his", "her", "this", "that"}
_SPELLING = {"labour": "labor", "licence": "license", "licences": "license", "centre": "center", "organisation": "organization",
             "favour": "favor", "harbour": "harbor", "neighbour": "neighbor", "authorisation": "authorization"}

ENGLISH_TERMS: dict[str, str] = {}
for _keys, _value in _GROUPS:
    for _key in _keys.split("|"):
        ENGLISH_TERMS.setdefault(_key.strip(), _value)  # the first, more specific group wins a shared key
# unit names are on topic; the retriever already boosts a named unit's measures, so they add no search terms
for _names in ENGLISH_NAMES.values():
    for _name in _names:
        ENGLISH_TERMS.setdefault(_name, "")

_WORD = re.compile(r"[a-z0-9&+]+")


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("'s", "")
    return [_SPELLING.get(w, w) for w in _WORD.findall(text)]


_VOCAB = {w for key in ENGLISH_TERMS for w in _words(key)}
_SINGLE = {key for key in ENGLISH_TERMS if len(_words(key)) == 1}  # "goods", "building" mean more than "good", "build"


def _base(word: str) -> str:
    """The glossary's form of an inflected word: permits → permit, filing → file, simplified → simplify,
    electronically → electronic.
    Keys go through it too, so "coercive measures" in the glossary and "measures" in a question agree."""
    if word in _SINGLE or len(word) < 4:
        return word
    candidates = []
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("es"):
        candidates.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        candidates.append(word[:-1])
    if word.endswith("ly"):  # electronically → electronic, directly → direct
        candidates += [word[:-4], word[:-2]] if word.endswith("ally") else [word[:-2]]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem]
            if suffix == "ed" and stem.endswith("i"):
                candidates.append(stem[:-1] + "y")
    return next((c for c in candidates if c in _VOCAB), word)


_PHRASES: dict[tuple[str, ...], str] = {}
for _key, _value in ENGLISH_TERMS.items():
    _PHRASES.setdefault(tuple(_base(w) for w in _words(_key) if w not in _SKIP), _value)
_LONGEST = max(len(p) for p in _PHRASES)


def expand_english(text: str) -> tuple[str, float]:
    """The notice's words for an English question, and the share of its content words the glossary knows.

    Phrases are matched longest first, so "work permit" gives 工作许可 rather than 就业 + 许可."""
    raws = [w for w in _words(text) if w not in _SKIP]
    words = [_base(w) for w in raws]
    known = [False] * len(words)
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            value = _PHRASES.get(tuple(words[i : i + n]))
            if value is not None:
                found.extend(value.split())
                known[i : i + n] = [True] * n
                i += n
                break
        else:
            i += 1
    content = [k for w, raw, k in zip(words, raws, known) if not ({w, raw} & STOP_WORDS) and not w.isdigit() and len(w) > 1]
    if content:
        share = sum(content) / len(content)
    else:  # only everyday words: "How do I apply online?" is neither clearly on topic nor clearly off it
        share = 0.5 if found else 0.0
    return " ".join(dict.fromkeys(found)), share
