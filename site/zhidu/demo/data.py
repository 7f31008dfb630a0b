"""Demo data: the demo company's own authored content, not the customer's seed files."""

COMPANY = {"name": "华茂电子商务有限公司", "code": "HM"}


# Organisation tree: the company, its departments and the groups under 电子商务部.
DEPARTMENTS = [
    {"code": "HM", "name": "华茂电子商务有限公司", "parent": None, "kind": "company"},
    {"code": "GM", "name": "总经办", "parent": "HM", "kind": "department"},
    {"code": "ZH", "name": "综合部", "parent": "HM", "kind": "department"},
    {"code": "CW", "name": "财务部", "parent": "HM", "kind": "department"},
    {"code": "DS", "name": "电子商务部", "parent": "HM", "kind": "department"},
    {"code": "CP", "name": "采配部", "parent": "HM", "kind": "department"},
    {"code": "JS", "name": "技术部", "parent": "HM", "kind": "department"},
    {"code": "DS-YY", "name": "运营组", "parent": "DS", "kind": "group"},
    {"code": "DS-TG", "name": "推广组", "parent": "DS", "kind": "group"},
    {"code": "DS-KF", "name": "客服组", "parent": "DS", "kind": "group"},
    {"code": "DS-WL", "name": "物流组", "parent": "DS", "kind": "group"},
]


# Positions; names are unique within a department.
POSITIONS = [
    {"department": "GM", "name": "总经理"},
    {"department": "GM", "name": "总经理助理"},
    {"department": "ZH", "name": "综合部经理"},
    {"department": "ZH", "name": "人事专员"},
    {"department": "ZH", "name": "行政专员"},
    {"department": "ZH", "name": "档案管理员"},
    {"department": "CW", "name": "财务经理"},
    {"department": "CW", "name": "会计"},
    {"department": "CW", "name": "出纳"},
    {"department": "DS", "name": "电子商务经理"},
    {"department": "DS-YY", "name": "运营组长"},
    {"department": "DS-YY", "name": "运营专员"},
    {"department": "DS-TG", "name": "推广组长"},
    {"department": "DS-TG", "name": "推广专员"},
    {"department": "DS-KF", "name": "客服组长"},
    {"department": "DS-KF", "name": "客服专员"},
    {"department": "DS-WL", "name": "物流组长"},
    {"department": "DS-WL", "name": "仓储专员"},
    {"department": "CP", "name": "采配经理"},
    {"department": "CP", "name": "采购专员"},
    {"department": "JS", "name": "技术经理"},
    {"department": "JS", "name": "开发工程师"},
    {"department": "JS", "name": "运维工程师"},
]


# 40 employees (one of them leaves in the acknowledgement story, demo/acknowledgements.py).
# manager is an employee_number; clearance runs 0-4.
EMPLOYEES = [
    {
        "employee_number": "HM0001",
        "name": "王建华",
        "department": "GM",
        "position": "总经理",
        "manager": None,
        "clearance": 4,
        "hire_date": "2016-03-01",
        "email": "wangjianhua@huamao.example.cn",
    },
    {
        "employee_number": "HM0002",
        "name": "林晓静",
        "department": "GM",
        "position": "总经理助理",
        "manager": "HM0001",
        "clearance": 2,
        "hire_date": "2019-07-15",
        "email": "linxiaojing@huamao.example.cn",
    },
    {
        "employee_number": "HM0003",
        "name": "陈立群",
        "department": "ZH",
        "position": "综合部经理",
        "manager": "HM0001",
        "clearance": 3,
        "hire_date": "2016-05-09",
        "email": "chenliqun@huamao.example.cn",
    },
    {
        "employee_number": "HM0004",
        "name": "赵雅琴",
        "department": "ZH",
        "position": "人事专员",
        "manager": "HM0003",
        "clearance": 2,
        "hire_date": "2020-04-13",
        "email": "zhaoyaqin@huamao.example.cn",
    },
    {
        "employee_number": "HM0005",
        "name": "孙丽娟",
        "department": "ZH",
        "position": "行政专员",
        "manager": "HM0003",
        "clearance": 1,
        "hire_date": "2021-03-08",
        "email": "sunlijuan@huamao.example.cn",
    },
    {
        "employee_number": "HM0006",
        "name": "周博文",
        "department": "ZH",
        "position": "行政专员",
        "manager": "HM0003",
        "clearance": 1,
        "hire_date": "2023-08-21",
        "email": "zhoubowen@huamao.example.cn",
    },
    {
        "employee_number": "HM0007",
        "name": "吴秀兰",
        "department": "ZH",
        "position": "档案管理员",
        "manager": "HM0003",
        "clearance": 2,
        "hire_date": "2018-10-22",
        "email": "wuxiulan@huamao.example.cn",
    },
    {
        "employee_number": "HM0008",
        "name": "郑国强",
        "department": "CW",
        "position": "财务经理",
        "manager": "HM0001",
        "clearance": 3,
        "hire_date": "2016-08-01",
        "email": "zhengguoqiang@huamao.example.cn",
    },
    {
        "employee_number": "HM0009",
        "name": "冯淑芬",
        "department": "CW",
        "position": "会计",
        "manager": "HM0008",
        "clearance": 2,
        "hire_date": "2017-11-06",
        "email": "fengshufen@huamao.example.cn",
    },
    {
        "employee_number": "HM0010",
        "name": "何佳怡",
        "department": "CW",
        "position": "会计",
        "manager": "HM0008",
        "clearance": 2,
        "hire_date": "2022-02-14",
        "email": "hejiayi@huamao.example.cn",
    },
    {
        "employee_number": "HM0011",
        "name": "许晨",
        "department": "CW",
        "position": "出纳",
        "manager": "HM0008",
        "clearance": 2,
        "hire_date": "2020-09-01",
        "email": "xuchen@huamao.example.cn",
    },
    {
        "employee_number": "HM0012",
        "name": "刘振宇",
        "department": "DS",
        "position": "电子商务经理",
        "manager": "HM0001",
        "clearance": 3,
        "hire_date": "2017-02-20",
        "email": "liuzhenyu@huamao.example.cn",
    },
    {
        "employee_number": "HM0013",
        "name": "杨帆",
        "department": "DS-YY",
        "position": "运营组长",
        "manager": "HM0012",
        "clearance": 2,
        "hire_date": "2018-04-02",
        "email": "yangfan@huamao.example.cn",
    },
    {
        "employee_number": "HM0014",
        "name": "黄思远",
        "department": "DS-YY",
        "position": "运营专员",
        "manager": "HM0013",
        "clearance": 1,
        "hire_date": "2021-06-07",
        "email": "huangsiyuan@huamao.example.cn",
    },
    {
        "employee_number": "HM0015",
        "name": "朱梦琪",
        "department": "DS-YY",
        "position": "运营专员",
        "manager": "HM0013",
        "clearance": 1,
        "hire_date": "2022-07-18",
        "email": "zhumengqi@huamao.example.cn",
    },
    {
        "employee_number": "HM0016",
        "name": "马俊杰",
        "department": "DS-YY",
        "position": "运营专员",
        "manager": "HM0013",
        "clearance": 1,
        "hire_date": "2023-03-13",
        "email": "majunjie@huamao.example.cn",
    },
    {
        "employee_number": "HM0017",
        "name": "胡晓燕",
        "department": "DS-YY",
        "position": "运营专员",
        "manager": "HM0013",
        "clearance": 1,
        "hire_date": "2024-09-02",
        "email": "huxiaoyan@huamao.example.cn",
    },
    {
        "employee_number": "HM0018",
        "name": "高鹏",
        "department": "DS-TG",
        "position": "推广组长",
        "manager": "HM0012",
        "clearance": 2,
        "hire_date": "2018-09-10",
        "email": "gaopeng@huamao.example.cn",
    },
    {
        "employee_number": "HM0019",
        "name": "罗雨萱",
        "department": "DS-TG",
        "position": "推广专员",
        "manager": "HM0018",
        "clearance": 1,
        "hire_date": "2021-11-15",
        "email": "luoyuxuan@huamao.example.cn",
    },
    {
        "employee_number": "HM0020",
        "name": "谢天宇",
        "department": "DS-TG",
        "position": "推广专员",
        "manager": "HM0018",
        "clearance": 1,
        "hire_date": "2023-05-22",
        "email": "xietianyu@huamao.example.cn",
    },
    {
        "employee_number": "HM0021",
        "name": "唐诗雨",
        "department": "DS-TG",
        "position": "推广专员",
        "manager": "HM0018",
        "clearance": 1,
        "hire_date": "2024-02-26",
        "email": "tangshiyu@huamao.example.cn",
    },
    {
        "employee_number": "HM0022",
        "name": "韩美玲",
        "department": "DS-KF",
        "position": "客服组长",
        "manager": "HM0012",
        "clearance": 2,
        "hire_date": "2017-06-12",
        "email": "hanmeiling@huamao.example.cn",
    },
    {
        "employee_number": "HM0023",
        "name": "曹欣怡",
        "department": "DS-KF",
        "position": "客服专员",
        "manager": "HM0022",
        "clearance": 1,
        "hire_date": "2020-03-16",
        "email": "caoxinyi@huamao.example.cn",
    },
    {
        "employee_number": "HM0024",
        "name": "邓文静",
        "department": "DS-KF",
        "position": "客服专员",
        "manager": "HM0022",
        "clearance": 1,
        "hire_date": "2021-08-09",
        "email": "dengwenjing@huamao.example.cn",
    },
    {
        "employee_number": "HM0025",
        "name": "彭小雪",
        "department": "DS-KF",
        "position": "客服专员",
        "manager": "HM0022",
        "clearance": 1,
        "hire_date": "2022-10-17",
        "email": "pengxiaoxue@huamao.example.cn",
    },
    {
        "employee_number": "HM0026",
        "name": "曾子涵",
        "department": "DS-KF",
        "position": "客服专员",
        "manager": "HM0022",
        "clearance": 1,
        "hire_date": "2024-04-08",
        "email": "zengzihan@huamao.example.cn",
    },
    {
        "employee_number": "HM0027",
        "name": "萧婉婷",
        "department": "DS-KF",
        "position": "客服专员",
        "manager": "HM0022",
        "clearance": 1,
        "hire_date": "2025-03-03",
        "email": "xiaowanting@huamao.example.cn",
    },
    {
        "employee_number": "HM0028",
        "name": "田志刚",
        "department": "DS-WL",
        "position": "物流组长",
        "manager": "HM0012",
        "clearance": 2,
        "hire_date": "2017-09-04",
        "email": "tianzhigang@huamao.example.cn",
    },
    {
        "employee_number": "HM0029",
        "name": "董大伟",
        "department": "DS-WL",
        "position": "仓储专员",
        "manager": "HM0028",
        "clearance": 1,
        "hire_date": "2019-05-20",
        "email": "dongdawei@huamao.example.cn",
    },
    {
        "employee_number": "HM0030",
        "name": "袁海涛",
        "department": "DS-WL",
        "position": "仓储专员",
        "manager": "HM0028",
        "clearance": 1,
        "hire_date": "2022-12-05",
        "email": "yuanhaitao@huamao.example.cn",
    },
    {
        "employee_number": "HM0031",
        "name": "潘明",
        "department": "DS-WL",
        "position": "仓储专员",
        "manager": "HM0028",
        "clearance": 1,
        "hire_date": "2025-06-16",
        "email": "panming@huamao.example.cn",
    },
    {
        "employee_number": "HM0032",
        "name": "蒋卫东",
        "department": "CP",
        "position": "采配经理",
        "manager": "HM0001",
        "clearance": 2,
        "hire_date": "2016-11-14",
        "email": "jiangweidong@huamao.example.cn",
    },
    {
        "employee_number": "HM0033",
        "name": "蔡宏亮",
        "department": "CP",
        "position": "采购专员",
        "manager": "HM0032",
        "clearance": 1,
        "hire_date": "2019-08-26",
        "email": "caihongliang@huamao.example.cn",
    },
    {
        "employee_number": "HM0034",
        "name": "余静",
        "department": "CP",
        "position": "采购专员",
        "manager": "HM0032",
        "clearance": 1,
        "hire_date": "2021-04-19",
        "email": "yujing@huamao.example.cn",
    },
    {
        "employee_number": "HM0035",
        "name": "杜鑫",
        "department": "CP",
        "position": "采购专员",
        "manager": "HM0032",
        "clearance": 1,
        "hire_date": "2023-10-09",
        "email": "duxin@huamao.example.cn",
    },
    {
        "employee_number": "HM0036",
        "name": "叶锦程",
        "department": "JS",
        "position": "技术经理",
        "manager": "HM0001",
        "clearance": 3,
        "hire_date": "2017-04-10",
        "email": "yejincheng@huamao.example.cn",
    },
    {
        "employee_number": "HM0037",
        "name": "程浩然",
        "department": "JS",
        "position": "开发工程师",
        "manager": "HM0036",
        "clearance": 1,
        "hire_date": "2019-12-02",
        "email": "chenghaoran@huamao.example.cn",
    },
    {
        "employee_number": "HM0038",
        "name": "苏一鸣",
        "department": "JS",
        "position": "开发工程师",
        "manager": "HM0036",
        "clearance": 1,
        "hire_date": "2022-05-30",
        "email": "suyiming@huamao.example.cn",
    },
    {
        "employee_number": "HM0039",
        "name": "魏嘉豪",
        "department": "JS",
        "position": "开发工程师",
        "manager": "HM0036",
        "clearance": 1,
        "hire_date": "2024-07-15",
        "email": "weijiahao@huamao.example.cn",
    },
    {
        "employee_number": "HM0040",
        "name": "吕振华",
        "department": "JS",
        "position": "运维工程师",
        "manager": "HM0036",
        "clearance": 2,
        "hire_date": "2020-06-22",
        "email": "lvzhenhua@huamao.example.cn",
    },
]


# One demo login per workflow role; admin is not tied to an employee.
ROLE_LOGINS = [
    {
        "username": "staff",
        "password": "zhidu-demo",
        "role": "员工",
        "employee_number": "HM0014",
        "description_zh": (
            "普通员工（运营组运营专员黄思远），可查阅本人有权访问的制度并完成阅读确认。"
        ),
    },
    {
        "username": "hr",
        "password": "zhidu-demo",
        "role": "制度管理员",
        "employee_number": "HM0004",
        "description_zh": "制度管理员（综合部人事专员赵雅琴），负责起草、修订制度并提交审核。",
    },
    {
        "username": "reviewer",
        "password": "zhidu-demo",
        "role": "审核人",
        "employee_number": "HM0003",
        "description_zh": "审核人（综合部经理陈立群），对提交的制度草案进行审核并提出修改意见。",
    },
    {
        "username": "approver",
        "password": "zhidu-demo",
        "role": "批准人",
        "employee_number": "HM0001",
        "description_zh": "批准人（总经理王建华），对审核通过的制度作出批准发布的决定。",
    },
    {
        "username": "auditor",
        "password": "zhidu-demo",
        "role": "审计员",
        "employee_number": "HM0007",
        "description_zh": (
            "审计员（综合部档案管理员吴秀兰），只读查阅制度版本、审批记录和操作日志。"
        ),
    },
    {
        "username": "admin",
        "password": "zhidu-demo",
        "role": "系统管理员",
        "employee_number": None,
        "description_zh": "系统管理员（非员工账号），负责组织架构、用户账号和系统参数的维护。",
    },
]


# Regulation bodies in document order:
#   ("chapter", title)  ("article", text, [clauses])  ("paragraph", text)
# Chapter/article/clause numbers (第X章, 第X条, （一）) are generated, not stored.
REGULATIONS = [
    {
        "title": "考勤与休假管理制度",
        "category": "人事",
        "owner_department": "ZH",
        "interpreting_department": "ZH",
        "classification": 1,
        "effective_date": "2025-03-01",
        # 受文范围: who must read and sign (policies_content/distribution.py).
        "distribution": {"all_staff": True},
        "body": [
            ("chapter", "总则"),
            (
                "article",
                (
                    "为规范公司考勤与休假管理，维护正常的工作秩序，保障员工依法享有的休息休假权利，"
                    "根据《中华人民共和国劳动法》《职工带薪年休假条例》等法律法规，结合公司实际，"
                    "制定本制度。"
                ),
                [],
            ),
            (
                "article",
                "本制度适用于与公司建立劳动关系的全体员工。实习人员、劳务派遣人员参照本制度执行。",
                [],
            ),
            (
                "article",
                "综合部是考勤与休假的归口管理部门，主要职责如下：",
                [
                    "制定并维护考勤规则、排班方案和考勤系统设置；",
                    "每月汇总、核对各部门考勤数据，并于次月五日前提交财务部作为薪资核算依据；",
                    "受理、登记请假与休假申请，保管相关证明材料。",
                ],
            ),
            ("chapter", "工作时间与打卡"),
            (
                "article",
                (
                    "公司实行标准工时制，工作日为周一至周五，上班时间为9:00，下班时间为18:00，"
                    "其中12:00至13:00为午间休息时间。"
                ),
                [],
            ),
            (
                "article",
                (
                    "客服组、物流组等因业务需要实行轮班的岗位，由所在部门编制排班表，"
                    "报综合部备案后执行，平均每周工作时间不得超过国家规定的标准。"
                ),
                [],
            ),
            (
                "article",
                (
                    "员工应在上、下班时通过公司考勤系统本人打卡，每个工作日打卡两次。"
                    "严禁代替他人打卡或委托他人打卡，一经查实，对双方均按旷工半日处理。"
                ),
                [],
            ),
            (
                "article",
                (
                    "因外出办事、出差或系统故障未能打卡的，"
                    "员工应在两个工作日内通过考勤系统提交补卡申请，经直属上级确认后生效。"
                    "每人每月补卡不得超过三次。"
                ),
                [],
            ),
            ("chapter", "迟到、早退与旷工"),
            (
                "article",
                "考勤异常按下列标准认定：",
                [
                    "上班打卡时间晚于9:00但不超过30分钟的，为迟到；",
                    "下班打卡时间早于18:00但不超过30分钟的，为早退；",
                    "迟到或者早退超过30分钟的，按旷工半日计算；",
                    "未经批准缺勤、请假期满未续假或者请假未获批准即擅自离岗的，为旷工。",
                ],
            ),
            (
                "article",
                (
                    "员工每月迟到、早退累计不超过两次且每次不超过10分钟的，不作处理；"
                    "超出部分每次扣减当月绩效分2分。"
                    "当月累计旷工三日以上或者全年累计旷工五日以上的，视为严重违反公司规章制度，"
                    "公司可依法解除劳动合同。"
                ),
                [],
            ),
            ("chapter", "请假"),
            (
                "article",
                "员工可申请的假期类型如下：",
                [
                    (
                        "事假：因私人事务需要离岗的，按实际天数扣发工资，单次一般不超过三天，"
                        "全年累计不超过十五天；"
                    ),
                    (
                        "病假：凭二级及以上医疗机构出具的诊断证明办理，"
                        "病假期间工资按国家和本地规定执行；"
                    ),
                    "婚假：依法办理结婚登记的员工享受婚假三天，并可按本地规定享受延长假期；",
                    "产假、陪产假及育儿假：按国家和本地人口与计划生育相关规定执行；",
                    "丧假：员工直系亲属去世的，给予丧假三天。",
                ],
            ),
            (
                "article",
                (
                    "员工请假应提前通过考勤系统提交申请，写明请假类型、起止时间和事由，"
                    "并按下列权限审批："
                ),
                [
                    "三天以内（含三天）的，由部门负责人审批；",
                    "三天以上、七天以内的，经部门负责人审核后，由综合部经理审批；",
                    "七天以上的，经综合部经理审核后，报总经理审批。",
                ],
            ),
            (
                "article",
                (
                    "因突发疾病或者紧急事务无法事先申请的，"
                    "员工应在当日上班时间前以电话或者即时通讯方式告知直属上级，"
                    "并在返岗后两个工作日内补办请假手续；逾期未补办的，按旷工处理。"
                ),
                [],
            ),
            ("chapter", "年休假"),
            (
                "article",
                "员工连续工作十二个月以上的，享受带薪年休假。年休假天数根据员工累计工作年限确定：",
                [
                    "累计工作已满一年不满十年的，年休假五天；",
                    "累计工作已满十年不满二十年的，年休假十天；",
                    "累计工作已满二十年的，年休假十五天。",
                ],
            ),
            (
                "article",
                (
                    "年休假原则上在一个自然年度内安排，可以集中使用，也可以分段使用，"
                    "但每次不少于半天。员工应至少提前五个工作日提出申请，"
                    "由部门负责人结合工作安排予以批准。"
                ),
                [],
            ),
            (
                "article",
                (
                    "因工作需要确实不能安排年休假的，经员工本人同意，可以跨一个年度安排；"
                    "当年未休且未跨年度安排的，公司按照国家规定支付未休年休假工资报酬。"
                ),
                [],
            ),
            ("chapter", "附则"),
            ("article", "本制度由综合部负责解释。", []),
            (
                "article",
                (
                    "本制度自2025年3月1日起生效。公司此前发布的考勤、请假相关规定与本制度不一致的，"
                    "以本制度为准。"
                ),
                [],
            ),
        ],
    },
    {
        "title": "电子商务部运营管理制度",
        "category": "管理制度",
        "owner_department": "DS",
        "interpreting_department": "DS",
        "classification": 1,
        "effective_date": "2025-04-01",
        "distribution": {"departments": ["DS"], "subdepartments": True},
        "body": [
            ("chapter", "总则"),
            (
                "article",
                (
                    "为规范公司线上店铺的日常运营，明确电子商务部各小组的分工与协作要求，"
                    "提升订单履约质量和客户体验，制定本制度。"
                ),
                [],
            ),
            (
                "article",
                (
                    "本制度适用于电子商务部及其下设的运营组、推广组、客服组和物流组，"
                    "其他部门人员参与线上业务时，应遵守本制度的相关规定。"
                ),
                [],
            ),
            (
                "article",
                (
                    "电子商务部开展业务应遵守《中华人民共和国电子商务法》"
                    "《中华人民共和国消费者权益保护法》和各销售平台的规则，坚持合法经营、诚实守信。"
                ),
                [],
            ),
            ("chapter", "组织与分工"),
            (
                "article",
                (
                    "电子商务经理对部门运营结果负总责，负责拟定年度销售目标和季度运营计划，"
                    "协调部门内外资源，处理重大异常事项。"
                ),
                [],
            ),
            (
                "article",
                "各小组的主要职责如下：",
                [
                    "运营组负责店铺页面维护、商品上下架、价格维护、平台活动报名及销售数据分析；",
                    "推广组负责站内外推广方案的制定与执行，控制推广费用并评估投放效果；",
                    "客服组负责售前咨询、售后处理、客户评价跟进及投诉受理；",
                    "物流组负责入库验收、库存管理、拣货打包、发货及物流跟踪。",
                ],
            ),
            (
                "article",
                (
                    "各组长应于每周一向电子商务经理提交上周工作小结和本周工作计划。"
                    "涉及跨组协作的事项，由电子商务经理指定牵头人并明确完成时限。"
                ),
                [],
            ),
            ("chapter", "商品与价格管理"),
            (
                "article",
                (
                    "新品上架前，运营组应核对商品标题、主图、详情页、规格参数和资质证明，"
                    "确保描述真实、准确，不得使用绝对化用语，不得作虚假或者引人误解的宣传。"
                ),
                [],
            ),
            (
                "article",
                "商品价格调整按下列规定执行：",
                [
                    "常规调价幅度在百分之十以内的，由运营组长审批；",
                    "调价幅度超过百分之十或者调整后售价低于采购成本的，报电子商务经理审批；",
                    "参加平台大型促销活动的，活动方案须经电子商务经理和财务部共同确认。",
                ],
            ),
            (
                "article",
                (
                    "运营组应每日比对店铺可售库存与仓库实物库存，差异超出正常范围的，"
                    "应当日通知物流组和采配部查明原因并及时更正。"
                ),
                [],
            ),
            ("chapter", "订单与售后"),
            (
                "article",
                (
                    "订单付款后，物流组应在平台承诺时限内完成发货，"
                    "原则上当日16:00前付款的订单当日发出。发货出现异常的，"
                    "客服组应主动联系客户说明情况。"
                ),
                [],
            ),
            (
                "article",
                (
                    "客服组在服务时间内应保证首次响应时间不超过30秒；"
                    "对客户投诉应在24小时内给出处理方案，并做好记录。"
                ),
                [],
            ),
            (
                "article",
                (
                    "退换货按平台规则和公司售后政策办理。单笔退款金额超过500元的，由客服组长审核；"
                    "超过2000元的，报电子商务经理审批。"
                ),
                [],
            ),
            ("chapter", "推广管理"),
            (
                "article",
                (
                    "推广组应按月编制推广预算，经电子商务经理批准后执行。"
                    "月度实际支出超出批准预算百分之十的，应事先提交追加申请。"
                ),
                [],
            ),
            (
                "article",
                (
                    "每次推广活动结束后五个工作日内，推广组应提交效果评估报告，内容包括投入产出比、"
                    "新增访客、转化率等指标及改进建议。"
                ),
                [],
            ),
            ("chapter", "附则"),
            ("article", "本制度由电子商务部负责解释。", []),
            ("article", "本制度自2025年4月1日起生效。", []),
        ],
    },
    {
        "title": "费用报销管理办法",
        "category": "财务",
        "owner_department": "CW",
        "interpreting_department": "CW",
        "classification": 1,
        "effective_date": "2025-01-01",
        "distribution": {"all_staff": True},
        "body": [
            ("chapter", "总则"),
            (
                "article",
                (
                    "为加强公司费用支出管理，规范费用报销行为，合理控制经营成本，"
                    "根据国家财务会计有关规定，结合公司实际，制定本办法。"
                ),
                [],
            ),
            ("article", "本办法适用于公司全体员工因公发生的各项费用的报销。", []),
            ("article", "费用报销遵循“先审批、后支出，真实合规、据实报销”的原则。", []),
            ("chapter", "报销范围与标准"),
            (
                "article",
                "可以报销的费用包括：",
                [
                    "差旅费，包括城市间交通费、住宿费和出差补助；",
                    "业务招待费；",
                    "办公用品及低值易耗品采购费；",
                    "培训费、会议费；",
                    "通讯费、快递费等经批准的其他日常费用。",
                ],
            ),
            (
                "article",
                (
                    "员工出差应选择经济合理的交通方式。乘坐火车的，一般员工可乘坐高铁二等座，"
                    "部门负责人及以上人员可乘坐一等座；乘坐飞机的，一律乘坐经济舱。"
                ),
                [],
            ),
            (
                "article",
                "住宿费按下列标准实行限额报销：",
                [
                    "直辖市及省会城市，每人每晚不超过400元；",
                    "其他城市，每人每晚不超过300元；",
                    "部门负责人及以上人员可在上述标准基础上上浮百分之三十。",
                ],
            ),
            ("article", "出差补助按每人每天80元包干使用，不再另行报销市内交通费和餐费。", []),
            (
                "article",
                "业务招待应事先征得部门负责人同意；单次招待费用超过1000元的，须事先报总经理批准。",
                [],
            ),
            ("chapter", "报销流程"),
            (
                "article",
                "员工应在费用发生后三十日内办理报销；跨年度的费用，应在次年1月15日前报销完毕。",
                [],
            ),
            (
                "article",
                "报销单据应当符合下列要求：",
                [
                    "取得合法有效的发票，发票抬头和税号为公司全称及统一社会信用代码；",
                    "按费用类别整理粘贴，并附审批单、行程单或者明细清单；",
                    "报销单各栏目填写完整，金额大小写一致。",
                ],
            ),
            (
                "article",
                "报销审批权限如下：",
                [
                    "单笔金额在5000元以下的，经部门负责人审核、财务经理复核后支付；",
                    "单笔金额在5000元以上（含5000元）的，在前项流程基础上报总经理审批。",
                ],
            ),
            (
                "article",
                (
                    "会计负责审核报销单据的真实性与合规性，对不符合要求的单据应当退回并说明理由；"
                    "出纳根据审核通过的报销单办理付款，原则上通过银行转账支付。"
                ),
                [],
            ),
            ("chapter", "借款管理"),
            (
                "article",
                "因公需要预借款项的，应填写借款单，写明用途和预计还款日期，按照报销审批权限审批。",
                [],
            ),
            (
                "article",
                "借款人应在事项完成后十五日内办理报销冲账；前次借款未结清的，不得再次借款。",
                [],
            ),
            ("chapter", "监督与责任"),
            (
                "article",
                "财务部每季度对费用支出情况进行分析，发现异常的，应当及时向总经理报告。",
                [],
            ),
            (
                "article",
                (
                    "虚报、冒领或者使用虚假票据报销的，公司追回相关款项，"
                    "并视情节给予警告直至解除劳动合同的处理；涉嫌违法犯罪的，依法移送有关机关处理。"
                ),
                [],
            ),
            ("chapter", "附则"),
            ("article", "本办法由财务部负责解释。", []),
            ("article", "本办法自2025年1月1日起生效。", []),
        ],
    },
    {
        "title": "信息安全与保密管理制度",
        "category": "安全",
        "owner_department": "JS",
        "interpreting_department": "JS",
        "classification": 2,
        "effective_date": "2025-05-01",
        "distribution": {"groups": ["制度管理员"], "employees": ["HM0036", "HM0040"]},
        "body": [
            ("chapter", "总则"),
            (
                "article",
                (
                    "为保护公司商业秘密和信息资产安全，防范信息泄露和网络安全事件，根据"
                    "《中华人民共和国网络安全法》《中华人民共和国数据安全法》"
                    "《中华人民共和国个人信息保护法》《中华人民共和国反不正当竞争法》等法律法规，"
                    "制定本制度。"
                ),
                [],
            ),
            (
                "article",
                (
                    "本制度所称商业秘密，是指不为公众所知悉、"
                    "具有商业价值并经公司采取相应保密措施的技术信息、经营信息等商业信息。"
                ),
                [],
            ),
            (
                "article",
                "公司的商业秘密包括但不限于：",
                [
                    "供应商名单、采购价格及合同条款；",
                    "客户资料、订单数据和会员个人信息；",
                    "销售数据、推广策略及营销计划；",
                    "财务报表、薪酬数据和预算资料；",
                    "系统源代码、服务器账号及网络架构资料。",
                ],
            ),
            (
                "article",
                (
                    "全体员工均负有保密义务。员工离职后，"
                    "对在职期间知悉的商业秘密仍应继续履行保密义务。"
                ),
                [],
            ),
            ("chapter", "组织与职责"),
            (
                "article",
                (
                    "公司设立保密工作小组，由总经理任组长，技术经理和综合部经理任副组长，"
                    "统筹管理保密与信息安全工作。"
                ),
                [],
            ),
            (
                "article",
                (
                    "技术部负责网络、服务器和业务系统的安全防护及权限管理；综合部负责保密协议签订、"
                    "保密培训和涉密档案管理；各部门负责人对本部门的保密工作负直接责任。"
                ),
                [],
            ),
            ("chapter", "密级划分与管理"),
            (
                "article",
                "公司信息按敏感程度划分为下列密级：",
                [
                    "公开：可以对外发布的信息；",
                    "内部：仅限公司员工知悉的一般信息；",
                    "秘密：泄露后会对公司造成损害的信息，仅限相关岗位人员知悉；",
                    "机密：泄露后会对公司造成严重损害的核心信息，仅限经总经理批准的人员知悉。",
                ],
            ),
            (
                "article",
                (
                    "文件起草部门应在文件形成时确定密级，并在文件首页显著位置标注。需要变更密级的，"
                    "由原定级部门提出，经保密工作小组确认。"
                ),
                [],
            ),
            (
                "article",
                (
                    "标注为秘密及以上密级的文件，不得通过个人邮箱、公共网盘或者社交软件传递；"
                    "确需对外提供的，应经部门负责人批准并采取加密措施。"
                ),
                [],
            ),
            ("chapter", "系统与账号安全"),
            (
                "article",
                (
                    "业务系统账号实行实名制，一人一号，按照最小授权原则分配权限。"
                    "员工岗位变动或者离职的，技术部应在一个工作日内调整或者注销其账号。"
                ),
                [],
            ),
            (
                "article",
                (
                    "账号密码长度不少于十位，应同时包含字母、数字和符号，每九十天至少更换一次，"
                    "不得告知他人或者记录在易被他人获取的位置。"
                ),
                [],
            ),
            (
                "article",
                "查询、导出客户个人信息应当通过系统审批，导出记录由技术部保存不少于三年。",
                [],
            ),
            (
                "article",
                "员工不得在办公电脑上安装来源不明的软件，不得私自使用外部存储设备拷贝涉密资料。",
                [],
            ),
            ("chapter", "安全事件处置"),
            (
                "article",
                (
                    "发现信息泄露、系统入侵或者账号异常的，应立即报告技术部和直属上级，"
                    "不得隐瞒或者擅自处置。"
                ),
                [],
            ),
            (
                "article",
                (
                    "技术部接报后应立即采取隔离、止损措施，"
                    "并在二十四小时内向保密工作小组提交初步报告；涉及个人信息泄露的，"
                    "依法履行告知和报告义务。"
                ),
                [],
            ),
            ("chapter", "奖励与处罚"),
            (
                "article",
                "对在保密工作中表现突出，或者及时发现、制止泄密行为的员工，公司给予表彰和奖励。",
                [],
            ),
            (
                "article",
                (
                    "违反本制度造成商业秘密泄露的，视情节给予警告、降职直至解除劳动合同的处理，"
                    "并依法追究其赔偿责任；涉嫌犯罪的，移送司法机关处理。"
                ),
                [],
            ),
            ("chapter", "附则"),
            ("article", "本制度由技术部负责解释，综合部协助组织实施。", []),
            ("article", "本制度自2025年5月1日起生效。", []),
        ],
    },
]


# Job descriptions (岗位说明书) for four of the positions above; each is distributed to the
# holders of its position (due in 7 days unless due_days says otherwise).
JOB_DESCRIPTIONS = [
    {
        "department": "DS-YY",
        "position": "运营专员",
        "due_days": 3,  # readers: the holders of the position
        "reports_to": "运营组长",
        "purpose": (
            "负责所分管线上店铺的日常运营，保证商品信息准确、活动执行到位，达成店铺销售目标。"
        ),
        "duties": [
            "维护所分管店铺的商品标题、主图、详情页及规格参数，保证信息真实准确。",
            "按运营计划办理商品上下架和价格调整，超出权限的调价提交组长审批。",
            "报名并执行平台促销活动，跟踪活动进度，活动结束后整理复盘材料。",
            "每日查看店铺流量、转化率、客单价等数据，编制运营日报并提出改进建议。",
            "核对店铺可售库存与仓库实物库存，发现差异及时通知物流组处理。",
            "关注平台规则变化，确保店铺经营行为符合平台要求和公司制度。",
            "配合推广组、客服组完成推广落地和售后问题的跟进处理。",
        ],
        "qualifications": {
            "education": "大专及以上学历，电子商务、市场营销等相关专业优先。",
            "experience": "一年以上主流电商平台店铺运营经验。",
            "skills": (
                "熟悉平台后台操作和活动规则，能熟练使用表格软件进行数据分析，"
                "具备基本的图片处理能力。"
            ),
        },
        "indicators": [
            "所分管店铺月度销售额目标完成率",
            "店铺转化率及环比变化",
            "商品信息差错次数",
            "平台活动按时报名与执行率",
        ],
    },
    {
        "department": "DS-KF",
        "position": "客服专员",
        "reports_to": "客服组长",
        "purpose": (
            "通过在线和电话渠道为客户提供售前咨询与售后服务，及时解决客户问题，维护公司店铺口碑。"
        ),
        "duties": [
            "在排班时间内接待客户咨询，准确介绍商品功能、规格和促销信息。",
            "协助客户下单、修改订单信息，核实收货地址等关键内容。",
            "受理退换货、补发和退款申请，按售后政策和审批权限办理。",
            "跟进物流异常订单，主动告知客户处理进度。",
            "处理客户投诉和中差评，超出权限的问题及时上报客服组长。",
            "记录客户常见问题和意见，定期整理后反馈给运营组和采配部。",
        ],
        "qualifications": {
            "education": "中专及以上学历。",
            "experience": "有电商客服或呼叫中心工作经验者优先，应届毕业生亦可。",
            "skills": "普通话标准，打字速度每分钟六十字以上，沟通耐心细致，能适应轮班工作。",
        },
        "indicators": [
            "首次响应时间",
            "咨询转化率",
            "客户满意度评分",
            "投诉处理及时率",
            "服务差错次数",
        ],
    },
    {
        "department": "ZH",
        "position": "人事专员",
        "reports_to": "综合部经理",
        "purpose": (
            "具体办理员工招聘、入离职、考勤和人事档案等事务，并负责公司规章制度的起草与维护。"
        ),
        "duties": [
            "根据各部门用人需求发布招聘信息，筛选简历并组织面试。",
            "办理员工入职、转正、调岗和离职手续，签订和续订劳动合同。",
            "汇总、核对每月考勤数据，审核请假与休假记录，提交财务部核算薪资。",
            "建立和更新员工人事档案，确保信息完整、准确。",
            "办理社会保险和住房公积金的增减员手续。",
            "组织起草、修订公司规章制度，跟踪审批流程并组织员工学习确认。",
            "组织新员工入职培训及其他内部培训的实施工作。",
        ],
        "qualifications": {
            "education": "本科及以上学历，人力资源管理、行政管理等相关专业。",
            "experience": "两年以上人事工作经验，熟悉招聘、考勤和社保等业务。",
            "skills": "熟悉劳动法律法规，具备良好的文字表达和沟通协调能力，能熟练使用办公软件。",
        },
        "indicators": [
            "招聘岗位按期到岗率",
            "考勤数据提交及时率与准确率",
            "人事档案完整率",
            "制度文件按计划完成修订的比例",
        ],
    },
    {
        "department": "CW",
        "position": "会计",
        "reports_to": "财务经理",
        "purpose": "负责公司日常会计核算和费用报销审核，保证会计信息真实、准确、及时。",
        "duties": [
            "审核员工费用报销单据的真实性、合规性和审批手续的完整性。",
            "编制记账凭证，登记明细账，按月办理结账。",
            "核对各电商平台的销售结算数据和资金到账情况，编制对账表。",
            "核算应收、应付款项，定期与供应商对账。",
            "协助编制月度、季度和年度财务报表。",
            "办理增值税等税费的计算与申报工作。",
            "整理、装订会计凭证和账簿，按规定移交档案管理。",
        ],
        "qualifications": {
            "education": "大专及以上学历，会计、财务管理等相关专业。",
            "experience": "两年以上企业会计工作经验，有电商企业财务经验者优先。",
            "skills": "具备初级会计专业技术资格，熟悉企业会计准则和税务法规，能熟练使用财务软件。",
        },
        "indicators": [
            "报销单据审核差错率",
            "月度结账及时率",
            "平台对账差异处理及时率",
            "纳税申报零逾期",
        ],
    },
]
