/** Word lists for generated demo customers: varied, realistic, and clearly made up. */

/** A comma-separated list, written compactly. */
const list = (text: string): string[] =>
	text
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);

export const FIRST_NAMES = list(`
	Aaliyah, Aaron, Abigail, Adam, Adriana, Aiden, Alejandro, Alex, Amara, Amir, Ana, Andre, Angela, Anika, Ava,
	Benjamin, Bianca, Brandon, Camila, Carlos, Carmen, Chen, Chloe, Daniel, Deepa, Diego, Dmitri, Elena, Elijah,
	Emily, Emma, Ethan, Fatima, Felix, Fernando, Fiona, Gabriel, Grace, Hana, Hannah, Hassan, Isabella, Ivan,
	Jack, Jamal, James, Jasmine, Javier, Jin, Jonathan, Jose, Julia, Kai, Karen, Keisha, Kenji, Kevin, Laura,
	Leah, Leila, Liam, Lucas, Lucia, Luis, Maya, Malik, Maria, Mark, Mateo, Mei, Michael, Mohammed, Nadia, Naomi,
	Nathan, Nia, Noah, Olivia, Omar, Oscar, Priya, Rafael, Rahul, Rebecca, Ricardo, Rosa, Ryan, Samuel, Sara,
	Sebastian, Sofia, Sophia, Stephanie, Tariq, Thomas, Tomas, Valentina, Victor, Wei, William, Xavier, Yara,
	Yusuf, Zoe
`);

export const LAST_NAMES = list(`
	Abbott, Adams, Ahmed, Alvarez, Anderson, Baker, Banerjee, Barnes, Bell, Brooks, Brown, Campbell, Carter,
	Castillo, Chang, Chavez, Clark, Collins, Cooper, Cruz, Davis, Diaz, Edwards, Evans, Fernandez, Fischer,
	Flores, Foster, Garcia, Gomez, Gonzalez, Green, Gupta, Hall, Harris, Hernandez, Hill, Hoffman, Hughes,
	Ibrahim, Jackson, Jensen, Johnson, Jones, Kaur, Kelly, Khan, Kim, King, Kowalski, Lee, Lewis, Lopez, Martin,
	Martinez, Mendoza, Miller, Mitchell, Moore, Morales, Morgan, Murphy, Nguyen, Nielsen, O'Brien, Okafor, Ortiz,
	Park, Patel, Perez, Peterson, Phillips, Price, Ramirez, Reed, Reyes, Richardson, Rivera, Roberts, Robinson,
	Rodriguez, Rossi, Russo, Sanchez, Santos, Schmidt, Scott, Shah, Silva, Singh, Smith, Sullivan, Tanaka,
	Taylor, Thomas, Thompson, Torres, Tran, Turner, Van der Berg, Walker, Wang, Ward, Watson, White, Williams,
	Wilson, Wong, Wright, Yamamoto, Young, Zhang
`);

export const COMPANY_HEADS = list(`
	Acme, Alder, Apex, Aspen, Atlas, Beacon, Birchwood, Blue Harbor, Bright Path, Canyon, Cedar, Clearwater,
	Coastal, Copper, Crescent, Evergreen, Falcon, Foxglove, Golden Gate, Granite, Harbor, Highland, Horizon,
	Ironwood, Juniper, Keystone, Lakeside, Liberty, Lighthouse, Magnolia, Maple, Meridian, Northwind, Oak Hill,
	Orchard, Pacific, Pinnacle, Prairie, Redwood, Riverbend, Sagebrush, Silver Lake, Summit, Sunrise, Tidewater,
	Timberline, Union, Valley, Westfield, Willow
`);

export const COMPANY_TAILS = list(`
	Accounting, Auto Repair, Bakery, Builders, Cafe, Consulting, Dental, Design, Electric, Fitness, Foods,
	Freight, Health, Home Care, Insurance, Labs, Landscaping, Law Group, Logistics, Medical, Motors, Outfitters,
	Pet Clinic, Plumbing, Printing, Properties, Realty, Roofing, Software, Solar, Supply, Travel, Veterinary,
	Wellness, Wholesale
`);

export const COMPANY_SUFFIXES = ['', '', '', ' Inc.', ' LLC', ' Co.', ' Group', ' & Sons'];

export const NOTES = [
	'Prefers a call back in the afternoon.',
	'Asked about the annual plan; send pricing.',
	'Spanish speaker; route to a Spanish-speaking agent.',
	'Disputed last invoice, resolved with a credit.',
	'Wants texts rather than calls.',
	'Referred by an existing customer.',
	'Renewal due next quarter.',
	'Interested in the premium tier.',
	'Do not call before 10am local time.',
	'Met at the spring trade show.'
];

/**
 * US area codes in use, so every generated number is valid for libphonenumber. Combined with
 * the 555 exchange (555-0100..0199 is reserved for fiction; the rest of 555 is unassigned).
 */
export const AREA_CODES = list(`
	201, 202, 203, 205, 206, 207, 208, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228, 229, 231, 234,
	239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281, 301, 302, 303, 304, 305, 307, 308,
	309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 325, 330, 334, 336, 337, 339, 347, 351, 352,
	360, 361, 386, 401, 402, 404, 405, 406, 407, 408, 409, 410, 412, 413, 414, 415, 417, 419, 423, 424, 425, 430,
	432, 434, 435, 440, 443, 469, 478, 479, 480, 484
`).map(Number);
