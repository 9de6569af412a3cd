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
