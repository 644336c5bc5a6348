/**
 * North American area codes (US and Canada) with their state or province and time zones, from
 * the public geocoding and time-zone data of Google's libphonenumber (Apache-2.0), 2018 edition,
 * regrouped here (689 is corrected to Eastern and 474 to Regina, which the data had wrong). An area code that spans zones lists them all: the calling window must be open
 * in every one of them. Non-geographic codes (toll-free 8XX, 5XX, 900) are not listed.
 * One line per state/province and zone set: `ST Zone[,Zone]: areacode areacode ...`.
 */
const TABLE = `
AB America/Edmonton: 368 403 587 780 825
AK America/Adak,America/Anchorage,America/Juneau,Pacific/Honolulu: 907
AL America/Chicago: 205 251 256 334 659 938
AR America/Chicago: 327 479 501 870
AZ America/Denver,America/Phoenix: 928
AZ America/Phoenix: 480 520 602 623
BC America/Edmonton,America/Vancouver: 250
BC America/Vancouver: 236 257 604 672 778
CA America/Los_Angeles: 209 213 279 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951
CO America/Denver: 303 719 720 748 970 983
CT America/New_York: 475 860 959
DC America/New_York: 202 771
DE America/New_York: 302
FL America/Chicago,America/New_York: 850
FL America/New_York: 239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 863 904 941 954
GA America/New_York: 229 404 470 478 678 706 762 770 912 943
HI Pacific/Honolulu: 808
IA America/Chicago: 319 515 563 641 712
ID America/Boise,America/Denver,America/Los_Angeles: 208
ID America/Boise,America/Los_Angeles: 986
IL America/Chicago: 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872
IN America/Chicago,America/New_York: 219 574 812
IN America/New_York: 260 317 463 765 930
KS America/Chicago: 316 913
KS America/Chicago,America/Denver: 620 785
KY America/Chicago,America/New_York: 270 606
KY America/New_York: 364 502 859
LA America/Chicago: 225 318 337 504 985
MA America/New_York: 339 351 413 508 617 774 781 857 978
MB America/Winnipeg: 204 431 584
MD America/New_York: 227 240 301 410 443 667
ME America/New_York: 207
MI America/Chicago,America/New_York: 906
MI America/New_York: 231 248 269 313 517 586 616 734 810 947 989
MN America/Chicago: 218 320 507 612 651 763 952
MO America/Chicago: 235 314 417 557 573 636 660 816 975
MS America/Chicago: 228 601 662 769
MT America/Denver: 406
NB America/Halifax: 428 506
NC America/New_York: 252 336 472 704 743 828 910 919 980 984
ND America/Chicago,America/Denver,America/North_Dakota/Center: 701
NE America/Chicago: 402 531
NE America/Chicago,America/Denver: 308
NH America/New_York: 603
NJ America/New_York: 201 551 609 640 732 848 856 862 908 973
NL America/Halifax,America/Puerto_Rico,America/St_Johns: 709
NL America/Puerto_Rico,America/St_Johns: 879
NM America/Denver: 505 575
NS America/Halifax: 782 902
NT America/Edmonton,America/Fort_Nelson,America/Toronto,America/Vancouver,America/Winnipeg: 867
NV America/Boise,America/Denver,America/Los_Angeles: 775
NV America/Los_Angeles: 702 725
NY America/New_York: 212 315 329 332 347 363 516 518 585 607 631 646 680 716 838 845 914 917 929 934
OH America/New_York: 216 220 234 283 326 330 380 419 440 513 567 614 740 937
OK America/Chicago: 405 539 572 580 918
ON America/Toronto: 226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 942
ON America/Toronto,America/Winnipeg: 807
OR America/Denver,America/Los_Angeles: 541
OR America/Los_Angeles: 458 503 971
PA America/New_York: 215 223 267 272 412 445 484 570 582 610 717 724 814 835 878
QC America/Halifax,America/Toronto: 418
QC America/Toronto: 263 354 367 438 450 468 514 579 581 819 873
RI America/New_York: 401
SC America/New_York: 803 821 839 843 854 864
SD America/Chicago,America/Denver,America/North_Dakota/Center: 605
SK America/Regina: 306 474 639
TN America/Chicago: 615 629 731 901 931
TN America/Chicago,America/New_York: 423
TN America/New_York: 865
TX America/Chicago: 210 214 254 281 325 346 361 409 430 432 469 512 682 726 737 806 817 830 832 903 936 940 945 956 972 979
TX America/Denver: 915
UT America/Denver: 385 435 801
VA America/New_York: 276 434 540 571 686 703 757 804 826 948
VT America/New_York: 802
WA America/Los_Angeles: 206 253 360 425 509 564
WI America/Chicago: 262 274 353 414 534 608 715 920
WV America/New_York: 304 681
WY America/Denver: 307
`;

export interface AreaCodeInfo {
	/** Two-letter state (US) or province (CA) code; NT covers NT/NU/YT, NS covers NS/PE. */
	region: string;
	/** IANA zones; more than one when the area code spans zones. */
	zones: readonly string[];
}

const BY_AREA_CODE: ReadonlyMap<string, AreaCodeInfo> = (() => {
	const map = new Map<string, AreaCodeInfo>();
	for (const line of TABLE.trim().split('\n')) {
		const [head = '', codes = ''] = line.split(': ');
		const [region = '', zones = ''] = head.split(' ');
		const info = { region, zones: zones.split(',') };
		for (const code of codes.split(' ')) map.set(code, info);
	}
	return map;
})();

/** The area code's region and zones, or undefined for a code the table does not place. */
export function areaCodeInfo(areaCode: string): AreaCodeInfo | undefined {
	return BY_AREA_CODE.get(areaCode);
}
