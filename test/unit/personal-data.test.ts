import { describe, expect, it } from 'vitest';
import { foldForMatching, maskPersonalData } from '#core/personal-data.ts';

describe('maskPersonalData: phone numbers', () => {
  it.each([
    ['plain', '联系13877200777', '联系***********'],
    ['hyphens', '电话138-7720-0777', '电话***-****-****'],
    ['spaces', '电话138 7720 0888', '电话*** **** ****'],
    ['dots', '电话138.7720.0777', '电话***.****.****'],
    ['odd grouping', '电话1387 720 0777', '电话**** *** ****'],
    ['+86', '+86 13912345678', '+** ***********'],
    ['+86 with hyphens', '+86-139-1234-5678', '+**-***-****-****'],
    ['0086', '008613912345678', '***************'],
    ['86', '8613912345678', '*************'],
    ['(+86)', '(+86)139 1234 5678', '(+**)*** **** ****'],
    ['full-width digits and plus', '＋８６１３８７７２００７７７', '＋*************'],
    ['full-width hyphens', '１３８－７７２０－０７７７', '***－****－****'],
    ['ideographic spaces', '138　7720　0777', '***　****　****'],
    ['en dashes', '138–7720–0777', '***–****–****'],
    ['middle dots', '138·7720·0777', '***·****·****'],
    ['Chinese numerals', '电话一三八七七二〇〇七七七', '电话***********'],
    ['a numeral running into it', '第一13877200777', '第一***********'],
    ['between words', '韦某（13877200777）家', '韦某（***********）家'],
    ['followed by another number', '13877200777 3户', '*********** 3户'],
  ])('masks a mobile number written %s', (_name, text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    ['with a hyphen', '座机0772-4321234', '座机****-*******'],
    ['without a separator', '座机07724321234', '座机***********'],
    ['with an 8-digit number', '010-12345678', '***-********'],
    ['in parentheses', '（0772）4321234', '（****）*******'],
    ['with +86 and no 0', '+86 772 4321234', '+** *** *******'],
    ['grouped', '0772 432 1234', '**** *** ****'],
  ])('masks a landline with its area code %s', (_name, text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });
});

describe('maskPersonalData: ID-card numbers', () => {
  it.each([
    ['18 digits', '身份证450322198001011234', '身份证******************'],
    ['18 with a final X', '身份证45032219800101123X', '身份证******************'],
    ['18 with a final x', '身份证45032219800101123x', '身份证******************'],
    ['18 in full-width', '４５０３２２１９８００１０１１２３Ｘ', '******************'],
    ['18 grouped 6-8-4', '450322 19800101 1234', '****** ******** ****'],
    ['the old 15 digits', '旧证号450322800101123', '旧证号***************'],
  ])('masks %s', (_name, text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it('masks an ID number whole, not as a phone number inside it', () => {
    expect(maskPersonalData('450313877200777123')).toBe('******************');
  });
});

describe('maskPersonalData: licence plates', () => {
  it.each([
    ['plain', '车牌桂G12345停在路边', '车牌桂******停在路边'],
    ['with a middle dot', '桂G·12345', '桂*·*****'],
    ['with a full-width dot', '桂G・A1234', '桂*・*****'],
    ['new-energy', '桂GD12345', '桂*******'],
    ['new-energy, large vehicle', '粤B12345D', '粤*******'],
    ['lower case', '桂g12345', '桂******'],
    ['on a trailer', '桂G1234挂', '桂*****挂'],
    ['on a driving-school car', '桂G·1234学', '桂*·****学'],
  ])('masks a plate written %s', (_name, text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });
});

describe('maskPersonalData: what it leaves alone', () => {
  it.each([
    ['dates and times', '2026-11-23 09:30，2026年11月23日'],
    ['house numbers and counts', '3号楼12户，共5人，门牌号88号'],
    ['a 16-digit order number', '编号1387720030199999'],
    ['a 10-digit mobile-like number', '1387720077'],
    ['place names after a province character', '桂林市、新Samsung手机、苏州GDP'],
    ['amounts', '补偿款120000元，面积0.5亩'],
  ])('%s', (_name, text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('keeps the text’s length and every character around what it masks', () => {
    // Prepare
    const text = '韦某（电话：138-7720-0777，身份证45032219800101123X）驾驶桂G·12345';

    // Act
    const masked = maskPersonalData(text);

    // Assess
    expect(masked).toHaveLength(text.length);
    expect(masked).toBe('韦某（电话：***-****-****，身份证******************）驾驶桂*·*****');
  });
});

describe('foldForMatching', () => {
  it('replaces full-width characters, dashes, dots and spaces one for one', () => {
    // Act
    const folded = foldForMatching('＋８６　１３８－７７２０·０７７７');

    // Assess
    expect(folded).toBe('+86 138-7720.0777');
  });

  it('reads Chinese numerals only when asked to', () => {
    expect(foldForMatching('第一网格')).toBe('第一网格');
    expect(foldForMatching('一三八〇', true)).toBe('1380');
  });
});
