//! Decoding pages in legacy encodings, declared and undeclared, plus gzip,
//! UTF-16, wrong declarations, binary and empty input.

use std::io::Write;

use deboil::decode::{decode, decode_with, DecodeError, EncodingSource};
use encoding_rs::Encoding;

/// Invented article text, one per encoding under test.
const FRENCH: &str = "Le marché couvert de la vieille ville a rouvert ses portes samedi matin, \
après deux années de travaux. Les étals de fromages, de pâtisseries et de légumes ont été déplacés \
près de la façade, où la lumière entre désormais par une verrière élégante. « Nous avons gardé \
l'âme du lieu », explique l'architecte, très émue devant la foule qui s'y pressait déjà à l'entrée. \
Les commerçants espèrent que la clientèle fidèle reviendra dès la rentrée, malgré la hausse des loyers.";

const POLISH: &str =
    "W sobotę nad jeziorem odbył się coroczny festiwal żeglarski. Załogi z całego \
regionu ścigały się mimo silnego wiatru, a na brzegu zgromadziło się kilka tysięcy widzów. \
Zwycięzcą okazała się młoda drużyna z Gdańska, która po raz pierwszy startowała w zawodach. \
Organizatorzy podkreślają, że dzięki wsparciu gminy udało się odnowić przystań i zbudować nowe \
pomosty. Następna edycja odbędzie się we wrześniu, jeśli pogoda pozwoli na bezpieczne żeglowanie.";

const RUSSIAN: &str = "В субботу в городском парке открылась новая библиотека под открытым небом. \
Жители могут брать книги с полок, установленных возле фонтана, и возвращать их в любое время. \
Идея принадлежит группе студентов, которые собрали больше двух тысяч книг за одну зиму. \
По словам организаторов, самыми популярными оказались детективы и книги о путешествиях. \
Летом здесь будут проходить чтения для детей и встречи с местными писателями.";

const JAPANESE: &str =
    "週末、町の図書館で古い地図の展示会が開かれました。江戸時代から昭和にかけての\
地図が百点以上並び、多くの来場者が熱心に見入っていました。担当の学芸員によると、今回初めて公開\
される資料も含まれているそうです。会場では子ども向けの解説もあり、家族連れでにぎわいました。\
展示は来月の末まで続く予定で、入場は無料です。";

const CHINESE: &str =
    "上周末，市中心的老茶馆重新开张，吸引了许多老顾客前来品茶聊天。茶馆经过一年的\
翻修，保留了原来的木质桌椅和墙上的老照片。店主表示，希望年轻人也能来这里感受传统的生活方式。\
每天下午还会有评书表演，周末则安排了民乐演奏。附近的居民说，这里又恢复了往日的热闹。";

const KOREAN: &str = "지난 주말 시내 중심가에서 작은 책 축제가 열렸습니다. 지역 출판사와 서점들이 \
참여하여 다양한 책을 소개하고 작가와의 만남도 진행했습니다. 많은 시민들이 가족과 함께 축제를 \
찾아 책을 읽고 이야기를 나누었습니다. 주최 측은 내년에도 더 큰 규모로 축제를 열 계획이라고 \
밝혔습니다. 축제 기간 동안 모든 행사는 무료로 진행되었습니다.";

fn page(declared: Option<&str>, text: &str) -> String {
    let meta = declared.map_or(String::new(), |label| format!("<meta charset=\"{label}\">"));
    format!(
        "<!doctype html><html><head>{meta}<title>Page</title></head>\
         <body><article><h1>Heading</h1><p>{text}</p><p>{text}</p></article></body></html>"
    )
}

fn encode(label: &str, text: &str) -> Vec<u8> {
    let enc =
        Encoding::for_label(label.as_bytes()).unwrap_or_else(|| panic!("unknown label {label}"));
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "test text not representable in {label}");
    bytes.into_owned()
}

fn check_roundtrip(label: &str, text: &str) {
    // Declared in the page.
    let html = page(Some(label), text);
    let bytes = encode(label, &html);
    let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(decoded.source, EncodingSource::Meta, "{label}");
    assert_eq!(decoded.text, html, "{label} declared");

    // Declared by the caller, not in the page.
    let html = page(None, text);
    let bytes = encode(label, &html);
    let decoded = decode_with(&bytes, Some(label)).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(decoded.source, EncodingSource::Declared, "{label}");
    assert_eq!(decoded.text, html, "{label} declared by caller");

    // Undeclared: the detector has to find it.
    let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(decoded.source, EncodingSource::Detected, "{label}");
    assert_eq!(
        decoded.text, html,
        "{label} undeclared, detected as {}",
        decoded.encoding
    );
}

#[test]
fn windows_1252() {
    check_roundtrip("windows-1252", FRENCH);
}

#[test]
fn iso_8859_2() {
    check_roundtrip("iso-8859-2", POLISH);
}

#[test]
fn koi8_r() {
    check_roundtrip("koi8-r", RUSSIAN);
}

#[test]
fn shift_jis() {
    check_roundtrip("shift_jis", JAPANESE);
}

#[test]
fn gbk() {
    check_roundtrip("gbk", CHINESE);
}

#[test]
fn euc_kr() {
    check_roundtrip("euc-kr", KOREAN);
}

#[test]
fn utf8_declared_as_latin1_is_read_as_utf8() {
    let html = page(Some("iso-8859-1"), FRENCH);
    let decoded = decode(html.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded.encoding, "UTF-8");
    assert_eq!(decoded.overruled, Some("windows-1252"));
    assert_eq!(decoded.text, html);
}

#[test]
fn wrong_multibyte_declaration_is_overruled_when_the_guess_decodes_cleanly() {
    // Shift_JIS bytes declared as EUC-KR by the server.
    let html = page(None, JAPANESE);
    let bytes = encode("shift_jis", &html);
    let decoded = decode_with(&bytes, Some("euc-kr")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded.encoding, "Shift_JIS");
    assert_eq!(decoded.overruled, Some("EUC-KR"));
    assert_eq!(decoded.text, html);
}

#[test]
fn windows_1252_declared_as_utf8_is_overruled() {
    let html = page(Some("utf-8"), FRENCH);
    let bytes = encode("windows-1252", &html);
    let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded.encoding, "windows-1252");
    assert_eq!(decoded.text, html);
}

#[test]
fn utf8_with_one_stray_byte_stays_utf8() {
    let html = page(Some("utf-8"), RUSSIAN);
    let mut bytes = html.clone().into_bytes();
    let at = bytes.len() / 2;
    bytes.insert(at - at % 2, 0xff);
    let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded.encoding, "UTF-8");
    assert!(decoded.text.contains("библиотека"));
    assert!(decoded.text.contains('\u{fffd}'));
}

#[test]
fn utf16_with_bom() {
    let text = "<p>Grüße aus Köln — ελληνικά</p>";
    for (bom, le) in [([0xff, 0xfe], true), ([0xfe, 0xff], false)] {
        let mut bytes = bom.to_vec();
        for unit in text.encode_utf16() {
            bytes.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded.source, EncodingSource::Bom);
        assert_eq!(decoded.text, text);
    }
}

#[test]
fn gzip_is_decompressed_transparently() {
    let html = page(Some("koi8-r"), RUSSIAN);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&encode("koi8-r", &html))
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = gz.finish().unwrap_or_else(|e| panic!("{e}"));
    let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(decoded.gunzipped);
    assert_eq!(decoded.encoding, "KOI8-R");
    assert_eq!(decoded.text, html);
}

#[test]
fn broken_gzip_is_a_clear_error() {
    let err = decode(&[0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]).unwrap_err();
    assert!(matches!(err, DecodeError::Gzip { .. }), "{err:?}");
    assert!(err.to_string().contains("gzip"));
}

#[test]
fn binary_is_refused() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    assert_eq!(decode(png), Err(DecodeError::Binary { offset: 8 }));
    let err = decode(b"%PDF-1.4\n\x00\x01").unwrap_err();
    assert!(err.to_string().contains("binary"));
}

#[test]
fn empty_input_is_empty_text() {
    let decoded = decode(b"").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded.text, "");
    assert_eq!(decoded.encoding, "UTF-8");
}
