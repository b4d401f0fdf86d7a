"""Default items of the editable code lists (PRODUCT.md, "Coded vocabularies").

Each item is (code, Japanese label, English label, description). Codes are stable lowercase
ASCII, or the official numeric code where one exists (the corporate-number `kind` for legal
forms, the 中小企業白書 stage number for digitalisation). The order shown is the list order.
The prefecture may edit labels and order and retire items; a code is never reused.
"""

CodeDefault = tuple[str, str, str, str]

EMPLOYEES: list[CodeDefault] = [
    ("0_5", "0〜5人", "0–5", ""),
    ("6_20", "6〜20人", "6–20", ""),
    ("21_50", "21〜50人", "21–50", ""),
    ("51_100", "51〜100人", "51–100", ""),
    ("101_300", "101〜300人", "101–300", ""),
    ("301_1000", "301〜1,000人", "301–1,000", ""),
    ("1001_plus", "1,001人以上", "1,001 or more", ""),
]

REVENUE: list[CodeDefault] = [
    ("lt_10m", "1千万円未満", "Under ¥10 million", ""),
    ("10m_50m", "1千万〜5千万円", "¥10–50 million", ""),
    ("50m_100m", "5千万〜1億円", "¥50–100 million", ""),
    ("100m_500m", "1億〜5億円", "¥100–500 million", ""),
    ("500m_1b", "5億〜10億円", "¥500 million–1 billion", ""),
    ("1b_5b", "10億〜50億円", "¥1–5 billion", ""),
    ("5b_plus", "50億円以上", "¥5 billion or more", ""),
    ("unknown", "不明", "Unknown", "回答がない、または把握できない場合"),
]

LEGAL_FORM: list[CodeDefault] = [
    ("101", "国の機関", "National government body", "法人番号の法人種別 101"),
    ("201", "地方公共団体", "Local government", "法人番号の法人種別 201"),
    ("301", "株式会社", "Kabushiki kaisha (stock company)", "法人番号の法人種別 301"),
    ("302", "有限会社", "Yugen kaisha (limited company)", "法人番号の法人種別 302"),
    ("303", "合名会社", "Gomei kaisha (general partnership company)", "法人番号の法人種別 303"),
    ("304", "合資会社", "Goshi kaisha (limited partnership company)", "法人番号の法人種別 304"),
    ("305", "合同会社", "Godo kaisha (limited liability company)", "法人番号の法人種別 305"),
    (
        "399",
        "その他の設立登記法人",
        "Other registered corporation",
        "法人番号の法人種別 399（一般社団法人、医療法人など）",
    ),
    ("401", "外国会社等", "Foreign company", "法人番号の法人種別 401"),
    ("499", "その他の法人・団体", "Other body with a corporate number", "法人番号の法人種別 499（人格のない社団等）"),
    ("sole_proprietor", "個人事業主", "Sole proprietor", "法人番号を持たない個人事業"),
    ("npo", "NPO法人", "NPO (specified non-profit corporation)", "特定非営利活動法人"),
    ("cooperative", "組合", "Cooperative", "事業協同組合、農業協同組合など"),
    ("other", "その他", "Other", "上記のいずれにも当てはまらない場合"),
]

BUSINESS_FORM: list[CodeDefault] = [
    ("manufacturing_own", "製造(自社製品)", "Manufacturing (own products)", ""),
    ("manufacturing_contract", "製造(受託)", "Manufacturing (contract)", ""),
    ("construction", "建設", "Construction", ""),
    ("wholesale", "卸売", "Wholesale", ""),
    ("retail_store", "小売(店舗)", "Retail (store)", ""),
    ("retail_ec", "小売(EC)", "Retail (e-commerce)", ""),
    ("food_service", "飲食", "Food service", ""),
    ("hospitality_tourism", "宿泊・観光", "Accommodation and tourism", ""),
    ("business_services", "対事業所サービス", "Business services", ""),
    ("personal_services", "対個人サービス", "Personal services", ""),
    ("transport_logistics", "運輸・物流", "Transport and logistics", ""),
    ("agriculture_forestry_fisheries", "農林水産", "Agriculture, forestry and fisheries", ""),
    ("medical_welfare", "医療・福祉", "Medical care and welfare", ""),
    ("ict", "情報通信", "Information and communications", ""),
    ("other", "その他", "Other", ""),
]

VISIT_FORMAT: list[CodeDefault] = [
    ("visit", "訪問", "Visit", "企業を訪問してのヒアリング"),
    ("seminar", "セミナー", "Seminar", "セミナー会場でのヒアリング"),
    ("online", "オンライン", "Online", "オンライン会議でのヒアリング"),
]

CHALLENGE: list[CodeDefault] = [
    (
        "sales_customer",
        "顧客対応・販売(HP/SNS/EC/CRM)",
        "Customer service and sales (web, social media, e-commerce, CRM)",
        "",
    ),
    ("payment_receivables", "決済・債権債務", "Payments, receivables and payables", ""),
    ("procurement_logistics", "調達・在庫・物流", "Procurement, inventory and logistics", ""),
    ("staffing_attendance", "人材配置・勤怠", "Staffing and attendance", ""),
    ("production", "生産管理・製造・施工", "Production management, manufacturing and construction work", ""),
    ("accounting_finance", "会計・財務", "Accounting and finance", ""),
    ("admin_hr_payroll", "総務・人事・給与", "General affairs, HR and payroll", ""),
    ("automation_analytics", "自動化・データ分析(RPA/BI/AI)", "Automation and data analysis (RPA, BI, AI)", ""),
    ("paperless_telework", "ペーパーレス・グループウェア・テレワーク", "Paperless, groupware and telework", ""),
    ("security", "情報セキュリティ", "Information security", ""),
    ("iot_equipment", "IoT・設備データ", "IoT and equipment data", ""),
    ("digital_talent", "デジタル人材", "Digital talent", ""),
    ("new_business", "新事業・ビジネスモデル変革", "New business and business model transformation", ""),
]

BARRIER: list[CodeDefault] = [
    ("where_to_start", "何から始めてよいか分からない", "Does not know where to start", ""),
    ("unclear_purpose", "目的が不明確", "Purpose unclear", ""),
    ("analogue_culture", "アナログな文化", "Analogue culture", ""),
    ("it_literacy", "ITリテラシー不足", "Lack of IT literacy", ""),
    ("it_staff", "IT人材不足", "Lack of IT staff", ""),
    ("budget", "予算不足", "Lack of budget", ""),
    ("unclear_roi", "費用対効果が見えない", "Return on investment unclear", ""),
    ("trade_practices", "取引慣行", "Trade practices", ""),
    ("system_choice", "適したシステムが分からない", "Does not know which system suits", ""),
]

# 中小企業白書 (2021年版) のデジタル化の段階
DIGITAL_STAGE: list[CodeDefault] = [
    (
        "1",
        "段階1：紙・口頭中心",
        "Stage 1: paper and word of mouth",
        "紙や口頭による業務が中心で、デジタル化が図られていない状態",
    ),
    (
        "2",
        "段階2：業務効率化",
        "Stage 2: streamlining work",
        "アナログな状況からデジタルツールを利用した業務環境に移行している状態",
    ),
    ("3", "段階3：データ活用", "Stage 3: using data", "デジタル化による業務効率化やデータ分析に取り組んでいる状態"),
    (
        "4",
        "段階4：ビジネスモデル変革",
        "Stage 4: business model transformation",
        "デジタル化によるビジネスモデルの変革や競争力強化に取り組んでいる状態",
    ),
]

INTRODUCTION: list[CodeDefault] = [
    ("foundation_consultation", "機構への相談", "Consultation with the support foundation", ""),
    ("technology_centre", "工業技術センター", "Industrial technology centre", ""),
    ("mail_magazine", "メールマガジン", "Mail magazine", ""),
    ("seminar", "セミナー", "Seminar", ""),
    ("subsidies", "補助金・支援制度", "Subsidies and support schemes", ""),
    ("coordinator_support", "コーディネータ伴走支援", "Hands-on support by a coordinator", ""),
    ("it_vendor", "IT企業紹介", "Introduction to IT companies", ""),
    ("other", "その他", "Other", ""),
]

# Same kinds as the introductions, as what the company agreed to or registered for.
OUTCOME: list[CodeDefault] = [
    ("foundation_consultation", "機構への相談申込", "Applied for consultation with the foundation", ""),
    ("technology_centre", "工業技術センター相談", "Consultation with the technology centre", ""),
    ("mail_magazine", "メルマガ登録", "Signed up for the mail magazine", ""),
    ("seminar", "セミナー申込", "Registered for a seminar", ""),
    ("subsidies", "補助金検討", "Considering a subsidy", ""),
    ("coordinator_support", "伴走支援希望", "Wants hands-on support", ""),
    ("it_vendor", "IT企業紹介希望", "Wants an introduction to IT companies", ""),
    ("none", "特になし", "None", ""),
]

INTEREST_LEVEL: list[CodeDefault] = [
    ("high", "高い", "High", "具体的な取組や相談を希望している"),
    ("medium", "普通", "Medium", "関心はあるが具体的な予定はない"),
    ("low", "低い", "Low", "現時点では関心が薄い"),
    ("none", "なし", "None", "関心を示さなかった"),
]

DEFAULTS: dict[str, list[CodeDefault]] = {
    "employees": EMPLOYEES,
    "revenue": REVENUE,
    "legal_form": LEGAL_FORM,
    "business_form": BUSINESS_FORM,
    "visit_format": VISIT_FORMAT,
    "challenge": CHALLENGE,
    "barrier": BARRIER,
    "digital_stage": DIGITAL_STAGE,
    "introduction": INTRODUCTION,
    "outcome": OUTCOME,
    "interest_level": INTEREST_LEVEL,
}
