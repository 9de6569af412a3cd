//! Temporary: the word lists as they were literals in `src/`, compared with
//! what the loader makes of `lexicon/` (the same set of words). Removed once
//! it passes.

use std::collections::BTreeSet;

use super::builtin_words;

fn check(name: &str, old: &[&str]) {
    let loaded: BTreeSet<&str> = builtin_words(name).iter().copied().collect();
    let old: BTreeSet<&str> = old.iter().copied().collect();
    assert_eq!(loaded, old, "{name}");
}

#[test]
fn non_name_words_is_as_it_was() {
    check("non-name-words.txt", &["The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our", "My", "Your", "But", "And", "Or", "Nor", "So", "Yet", "In", "On", "At", "As", "By", "For", "From", "Of", "To", "With", "Without", "If", "When", "While", "Where", "Why", "How", "What", "Who", "Which", "After", "Before", "Since", "Until", "During", "Meanwhile", "However", "Still", "Also", "Both", "Either", "Neither", "Some", "Many", "Most", "All", "Any", "Each", "Every", "Other", "Another", "Such", "Only", "Even", "Last", "Next", "Earlier", "Later", "Now", "Then", "There", "Here", "Today", "Yesterday", "Tomorrow", "According", "Unlike", "Like", "Apart", "Despite", "Although", "Though", "Because", "Under", "Over", "About", "Around", "Among", "Between", "Into", "Through", "Representatives", "Analysts", "Shares", "Sources", "Officials", "Regulators", "Investors", "Chinese", "American", "European", "British", "Japanese", "Korean", "Indian", "Asian", "Photo", "Reading", "Advertisement", "Read", "More", "Related", "Why", "Initial", "Talks", "New", "Big", "Further", "Mainland", "Local", "State", "National", "Global", "Federal", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Startups", "Companies", "Firms", "Users", "Alleged", "Antitrust"]);
}

#[test]
fn org_heads_is_as_it_was() {
    check("org-heads.txt", &["Inc", "Ltd", "Co", "Corp", "Corporation", "Company", "Limited", "LLC", "LLP", "plc", "PLC", "AG", "SA", "SE", "NV", "GmbH", "Group", "Holdings", "Holding", "Bank", "Bancorp", "Exchange", "Court", "Commission", "Administration", "Ministry", "Department", "Agency", "Authority", "Council", "Bureau", "Office", "Association", "Institute", "Institution", "Foundation", "Federation", "Fund", "Partners", "Capital", "Ventures", "Securities", "Investments", "Technologies", "Technology", "Systems", "Networks", "Software", "Semiconductor", "Electronics", "Motors", "Airlines", "Airways", "Pharmaceuticals", "Pharma", "Media", "Entertainment", "Studios", "Telecom", "Communications", "Insurance", "Assurance", "Trust", "Energy", "Industries", "Industry", "Industrial", "Labs", "Laboratories", "University", "College", "School", "Academy", "Party", "Congress", "Parliament", "Senate", "Committee", "Board", "Regulator", "Tribunal", "Police", "Army", "Union", "Alliance", "Consortium", "Society", "Center", "Centre", "Club", "Press", "News", "Times", "Post", "Journal", "Daily", "Herald", "Gazette", "Review", "Magazine", "Network", "Broadcasting", "Television", "Radio"]);
}

#[test]
fn org_heads_before_of_is_as_it_was() {
    check("org-heads-before-of.txt", &["University", "Bank", "Ministry", "Department", "Court", "Office", "Bureau", "Institute", "Academy", "Commission", "Council", "Association", "Federation", "Chamber", "College", "School", "Board", "Administration", "Agency", "Authority", "Government", "Embassy", "Consulate", "Museum"]);
}

#[test]
fn person_title_words_is_as_it_was() {
    check("person-titles.txt", &["President", "Premier", "Chairman", "Chairwoman", "Chair", "Chancellor", "Minister", "Secretary", "Senator", "Sen", "Representative", "Rep", "Governor", "Gov", "Mayor", "Judge", "Justice", "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "King", "Queen", "Prince", "Princess", "Pope", "General", "Gen", "Commissioner", "Ambassador", "Vice", "CEO", "CFO", "COO", "CTO", "Founder", "Co-founder", "Chief", "Director", "Commerce", "Treasury", "Spokesperson", "Spokesman", "Spokeswoman", "Analyst", "Economist", "founder", "co-founder", "chairman", "chairwoman", "executive", "analyst", "economist", "spokesperson", "spokesman", "spokeswoman", "billionaire", "entrepreneur", "lawyer", "attorney", "professor", "director", "president", "premier", "minister", "tycoon", "investor", "officer", "industrialist", "financier", "banker", "magnate"]);
}

#[test]
fn person_roles_is_as_it_was() {
    check("person-roles.txt", &["professor", "analyst", "attorney", "lawyer", "spokesperson", "spokesman", "spokeswoman", "economist", "executive", "founder", "co-founder", "chairman", "chairwoman", "director", "partner", "researcher", "official", "minister", "president", "vice-president", "CEO", "CFO", "COO", "CTO", "chief", "head", "manager", "strategist", "fellow", "scholar", "consultant", "adviser", "advisor", "investor", "entrepreneur", "billionaire", "secretary", "editor", "reporter", "journalist", "correspondent", "engineer", "scientist", "lecturer", "dean", "officer", "commissioner", "regulator", "judge", "senator", "governor", "mayor", "author", "co-author", "employee", "staffer", "trader", "banker", "owner", "developer"]);
}

#[test]
fn org_trailing_nouns_is_as_it_was() {
    check("org-trailing-nouns.txt", &["law firm", "consultancy", "consulting firm", "research firm", "brokerage", "investment firm", "investment bank", "accounting firm", "advisory firm", "venture firm", "hedge fund", "think tank", "news agency", "newspaper"]);
}

#[test]
fn chinese_surnames_is_as_it_was() {
    check("chinese-surnames.txt", &["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Lu", "Ding", "Ren", "Shen", "Yao", "Jin", "Fu", "Zhong", "Cui", "Tan", "Fan", "Wen", "Fang", "Shi", "Xi", "Lei", "Hou", "Shao", "Meng", "Long", "Wan", "Duan", "Qian", "Tang", "Yin", "Qin", "Dai", "Xia", "Mao", "Kong", "Bai", "Qiu", "Jia", "Zou", "Xiong", "Hao", "Gu", "Mo", "Kang", "Yan", "Lai", "Qi", "Niu", "Ge", "Chang", "Lau", "Wong", "Leung", "Cheung", "Chan", "Ng", "Ho", "Tsang", "Lam", "Kwok", "Chu", "Lee", "Kim", "Park", "Choi"]);
}

#[test]
fn given_names_is_as_it_was() {
    check("given-names.txt", &["Jack", "Pony", "Robin", "Richard", "Colin", "Daniel", "Joseph", "Eddie", "Jane", "Angela", "Tim", "Elon", "Mark", "Jeff", "Bill", "Steve", "Sundar", "Satya", "Jensen", "Lisa", "Sam", "John", "James", "Robert", "Michael", "William", "David", "Thomas", "Charles", "Christopher", "Matthew", "Anthony", "Donald", "Paul", "Andrew", "Joshua", "Kevin", "Brian", "George", "Edward", "Ronald", "Jason", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Frank", "Alexander", "Patrick", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Henry", "Adam", "Douglas", "Nathan", "Peter", "Zachary", "Kyle", "Walter", "Harold", "Jeremy", "Ethan", "Carl", "Keith", "Roger", "Gerald", "Christian", "Terry", "Sean", "Arthur", "Austin", "Noah", "Lawrence", "Jesse", "Joe", "Bryan", "Billy", "Jordan", "Albert", "Dylan", "Bruce", "Willie", "Gabriel", "Alan", "Juan", "Logan", "Wayne", "Ralph", "Roy", "Eugene", "Randy", "Vincent", "Russell", "Louis", "Philip", "Bobby", "Johnny", "Bradley", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Dorothy", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Kathleen", "Amy", "Shirley", "Anna", "Brenda", "Pamela", "Emma", "Nicole", "Helen", "Samantha", "Katherine", "Christine", "Debra", "Rachel", "Catherine", "Carolyn", "Janet", "Ruth", "Maria", "Heather", "Diane", "Virginia", "Julie", "Joyce", "Victoria", "Olivia", "Kelly", "Christina", "Lauren", "Joan", "Evelyn", "Judith", "Megan", "Cheryl", "Andrea", "Hannah", "Martha", "Jacqueline", "Frances", "Gloria", "Ann", "Teresa", "Kathryn", "Sara", "Janice", "Jean", "Alice", "Madison", "Doris", "Abigail", "Julia", "Judy", "Grace", "Denise", "Amber", "Marilyn", "Beverly", "Danielle", "Theresa", "Sophia", "Marie", "Diana", "Brittany", "Natalie", "Isabella", "Charlotte", "Rose", "Alexis", "Kayla", "Alex", "Max", "Tony", "Jimmy", "Charlie", "Martin", "Simon", "Oliver", "Harry", "Hans", "Klaus", "Pierre", "Jean-Pierre", "Carlos", "Luis", "Miguel", "Ahmed", "Mohammed", "Raj", "Rahul", "Vivian", "Winston", "Leo", "Rita", "Cathy", "Wendy", "Jenny", "Jackie", "Ken", "Kenneth", "Vincent", "Yuki", "Masayoshi", "Hiroshi", "Tadashi", "Jay"]);
}

#[test]
fn legal_suffixes_are_as_they_were() {
    let legal = super::legal_suffixes();
    let set = |words: &[&'static str]| words.iter().copied().collect::<BTreeSet<_>>();
    // `LEGAL` of `strip_legal_suffix` in src/entities.rs.
    assert_eq!(set(legal.forms.words()), set(&["Inc.", "Inc", "Ltd.", "Ltd", "Limited", "Co.", "Co", "Corp.", "Corp", "Corporation", "LLC", "LLP", "plc", "PLC", "AG", "SA", "SE", "NV", "N.V.", "GmbH", "Bhd", "Berhad"]));
    // `ORG_SUFFIXES` in src/gazetteer.rs.
    assert_eq!(set(&legal.alias_tails), set(&[" Inc.", " Inc", ", Inc.", " Ltd.", " Ltd", " Limited", " Co.", " Co., Ltd.", " Co. Ltd.", " Corp.", " Corp", " Corporation", " Holdings", " Holdings Ltd.", " Holdings Limited", " Holdings Inc.", " Group", " Group Co.", " Group Ltd.", " Group Holding", " Group Holdings", " Group Holding Ltd.", " Group Holding Limited", " plc", " PLC", " LLC", " AG", " SA", " SE", " NV", " N.V.", " Bhd", " Berhad"]));
    // `ABBREVIATED_HEADS` in src/entities/fallback.rs.
    assert_eq!(set(legal.abbreviated.words()), set(&["Inc", "Ltd", "Co", "Corp"]));
}

#[test]
fn title_words_is_as_it_was() {
    check("title-chain-words.txt", &["executive", "officer", "Executive", "Officer", "Financial", "financial", "Operating", "operating", "Technology", "technology", "Technical", "technical", "Marketing", "marketing", "Investment", "investment", "Strategy", "strategy", "Product", "product", "Information", "information", "Commercial", "commercial", "Scientist", "scientist", "General", "general", "Managing", "managing", "Partner", "partner", "Counsel", "counsel", "Senior", "senior"]);
}

#[test]
fn blockers_is_as_it_was() {
    check("relation-blockers.txt", &["not", "n't", "never", "no", "denied", "denies", "deny", "denying", "rumored", "rumoured", "rumors", "rumours", "vowed", "vows", "plans", "plan", "planned", "planning", "may", "might", "could", "would", "considering", "considered", "mulling", "intends", "intend", "threatened", "threatens", "threaten", "seeks", "seeking", "sought", "proposed", "wants", "hopes", "attempt", "failed", "refused", "cannot", "unable", "if", "whether", "countersue", "will", "'ll", "agreed", "agrees", "pending", "abandoned", "scrapped", "potential", "possible"]);
}

#[test]
fn adverbial_openers_is_as_it_was() {
    check("adverbial-openers.txt", &["apart", "while", "unlike", "after", "before", "despite", "although", "though", "as", "in", "with", "since", "when", "under", "besides", "beyond", "like", "following", "amid", "according", "until", "for", "during", "if", "once", "because", "aside", "on", "at", "by"]);
}

#[test]
fn verb_cue_words_is_as_it_was() {
    check("relation-verb-cues.txt", &["its", "founded", "co-founded", "cofounded", "started", "established", "invested", "invests", "invest", "backer", "backers", "investor", "shareholder", "stake", "backed", "owned", "controlled", "owns", "acquired", "acquires", "acquisition", "acquisitions", "purchase", "takeover", "buyout", "investors", "led", "raised", "raises", "working", "worked", "works", "headquartered", "based", "bought", "buys", "purchased", "compete", "competes", "competed", "competing", "vies", "vie", "competition", "rivals", "competitors", "fined", "fines", "fining", "fine", "penalty", "hit", "levied", "imposed", "slapped", "issued", "handed", "sued", "sues", "suing", "sue", "lawsuit", "suit", "complaint", "blocked", "banned", "barred", "blocks", "bans", "bars", "block", "ban", "blocking", "restricting", "restricted", "prevented", "preventing", "prevents", "prevent", "stopped", "stopping", "barring", "cannot", "can't", "can"]);
}

#[test]
fn clause_verbs_is_as_it_was() {
    check("clause-verbs.txt", &["could", "would", "will", "can", "may", "might", "should", "must", "has", "have", "had", "is", "was", "are", "were", "said", "says", "plans", "owns", "runs", "operates", "also", "launched", "makes", "sells", "offers", "opened", "uses", "wants", "aims", "hopes", "expects"]);
}

#[test]
fn role_titles_is_as_it_was() {
    check("role-titles.txt", &["chief", "executive", "ceo", "cfo", "coo", "cto", "president", "chairman", "chairwoman", "chair", "director", "head", "vice", "officer", "spokesperson", "spokesman", "spokeswoman", "analyst", "economist", "founder", "co-founder", "general", "counsel", "partner", "manager", "boss", "senior", "managing", "deputy", "financial", "operating", "technology", "technical", "marketing", "investment", "strategy", "product", "information", "commercial"]);
}

#[test]
fn auxiliaries_is_as_it_was() {
    check("auxiliaries.txt", &["had", "has", "have", "was", "were", "is", "are", "been", "be", "also", "reportedly", "previously", "already", "recently", "then", "later", "once", "allegedly"]);
}

#[test]
fn authority_heads_is_as_it_was() {
    check("authority-heads.txt", &["Commission", "Authority", "Agency", "Administration", "Bureau", "Ministry", "Department", "Office", "Board", "Council", "Court", "Regulator", "Directorate", "Inspectorate", "Tribunal", "Supervisor", "Service", "Prosecutor", "Prosecutors", "Commissioner", "Watchdog", "Treasury", "Cartel", "Kartellamt", "Bundeskartellamt"]);
}

#[test]
fn authority_references_is_as_it_was() {
    check("authority-references.txt", &["regulator", "regulators", "watchdog", "watchdogs", "commission", "authority", "authorities", "agency", "ministry", "prosecutors", "supervisor", "court"]);
}

#[test]
fn company_references_is_as_it_was() {
    check("company-references.txt", &["company", "firm", "group", "carmaker", "automaker", "bank", "lender", "insurer", "retailer", "startup", "start-up", "giant", "conglomerate", "chipmaker", "airline", "manufacturer", "operator", "platform", "insurer", "miner", "producer"]);
}

#[test]
fn other_start_words_is_as_it_was() {
    check("date-start-words.txt", &["Early", "early", "Mid", "mid", "Late", "late", "first", "second", "third", "fourth", "Next", "next", "Past", "past", "Last", "last", "Previous", "previous", "Coming", "coming", "First", "Earlier", "earlier", "Later", "later", "This", "this", "year", "month", "week", "day", "Today", "today", "Yesterday", "yesterday", "Tomorrow", "tomorrow", "fiscal", "Fiscal", "FY", "H1", "H2", "spring", "Spring", "summer", "Summer", "autumn", "Autumn", "fall", "Fall", "winter", "Winter"]);
}

#[test]
fn date_prepositions_is_as_it_was() {
    check("date-prepositions.txt", &["in", "since", "by", "until", "till", "from", "during", "before", "after", "of", "through", "to", "and", "or", "between", "early", "late", "mid", "end", "year", "fiscal", "spring", "summer", "autumn", "fall", "winter", "beginning", "start", "on", "for", "last", "next", "this", "In", "Since", "By", "Until", "From", "During", "Before", "After", "Through", "Between", "Early", "Late", "Mid", "Last", "Next", "This", "of", "around", "about", "circa"]);
}

#[test]
fn future_cues_is_as_it_was() {
    check("future-cues.txt", &["will", "would", "'ll", "’ll", "shall", "plans", "plan", "planned", "planning", "expected", "expects", "scheduled", "upcoming", "going", "set", "aims", "intends", "due", "next", "Will"]);
}

#[test]
fn never_final_is_as_it_was() {
    check("abbreviations-never-final.txt", &["Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt", "Capt", "Rev", "St", "Mt", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "Nos", "vs", "v", "e.g", "i.e", "etc", "approx", "est", "Fig", "Vol", "Art", "Sec", "Pres", "Supt", "Messrs", "Hon"]);
}

#[test]
fn maybe_final_is_as_it_was() {
    check("abbreviations-maybe-final.txt", &["Inc", "Ltd", "Co", "Corp", "LLC", "Plc", "plc", "Bhd", "AG", "SA", "NV", "U.S", "U.K", "U.N", "E.U", "Jr", "Sr", "Bros", "a.m", "p.m"]);
}

#[test]
fn openers_is_as_it_was() {
    check("sentence-openers.txt", &["The", "A", "An", "It", "Its", "He", "She", "They", "We", "I", "This", "That", "These", "Those", "But", "And", "In", "On", "At", "As", "If", "When", "While", "Meanwhile", "However", "Shares", "Analysts", "There", "His", "Her", "Their", "Our", "After", "Before", "Since", "Last", "Earlier", "Later", "According", "Still", "Also", "Both"]);
}

#[test]
fn its_phrase_ends_is_as_it_was() {
    check("its-phrase-ends.txt", &["that", "which", "who", "to", "from", "with", "after", "before", "by", "for", "of", "in", "on", "at", "and", "or", "as", "than", "while", "when", "if"]);
}

#[test]
fn not_owned_after_its_is_as_it_was() {
    check("not-owned-after-its.txt", &["rival", "rivals", "competitor", "competitors", "partner", "partners", "investors", "backers", "shareholders", "investor", "backer", "shareholder", "owner", "parent", "include", "includes", "founder", "stake", "acquisition", "purchase", "takeover", "bid", "offer", "deal"]);
}
