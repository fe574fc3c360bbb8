/// Passwords that appear at the top of every published leak list, and Thai-keyboard favourites.
/// Compared in lower case.
enum CommonPasswords {
    static let all: Set<String> = [
        "12345678", "123456789", "1234567890", "password", "password1", "password123", "qwerty123",
        "qwertyuiop", "11111111", "00000000", "87654321", "12341234", "123123123", "1q2w3e4r",
        "1q2w3e4r5t", "qwerty12", "iloveyou", "abc12345", "abcd1234", "a1234567", "zaq12wsx",
        "1qaz2wsx", "sunshine", "princess", "football", "baseball", "welcome1", "welcome123",
        "admin123", "administrator", "letmein1", "passw0rd", "p@ssw0rd", "p@ssword", "superman",
        "starwars", "trustno1", "whatever", "computer", "internet", "asdfghjkl", "asdf1234",
        "qazwsxedc", "1234qwer", "qwer1234", "q1w2e3r4", "987654321", "11223344", "12121212",
        "88888888", "99999999", "55555555", "66666666", "77777777", "22222222", "33333333",
        "44444444", "123qweasd", "michael1", "jennifer", "charlie1", "dragon12", "monkey12",
        "shadow12", "master12", "mustang1", "liverpool", "chelsea1", "arsenal1", "manchester",
        "changeme", "default1", "secret12", "test1234", "testtest", "guest123", "user1234",
        "kpi12345", "kpionline", "school123", "teacher1", "student1", "thailand", "thailand1",
        "bangkok1", "kamphaengphet", "25252525", "25602560", "25662566", "25672567", "25682568",
        "kittikun", "somchai1", "suksan12", "loveyou1", "iloveyou1", "qwerty1234", "1234abcd",
        "aa123456", "a123456789", "zxcvbnm1", "zxcvbnm123", "asdfasdf", "qwertyui", "1a2b3c4d",
        "abcdefgh", "abcdefg1", "passpass", "password!", "password12", "pass1234", "mypassword",
    ]
}
