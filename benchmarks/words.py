"""Word pools for the synthetic corpus: Indonesian-like text without any network access.

Kept apart from corpus.py so the generator's logic stays readable. Changing any
list here changes every generated corpus (the cache stamp includes this file).
"""

from __future__ import annotations


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


# Common Indonesian words, weighted by repetition towards the frequent function words.
FUNCTION = _words(
    "yang dan di ke dari untuk dengan pada dalam ini itu akan telah sudah tidak juga "
    "lebih oleh karena agar bahwa saat masih bisa harus menjadi adalah serta namun atau "
    "hingga sejak antara tersebut para setiap seluruh beberapa banyak sebagai kini"
)

NOUNS = _words(
    "pemerintah warga masyarakat pasar harga beras cabai bawang minyak listrik air jalan "
    "jembatan pelabuhan bandara kereta bus angkutan sekolah guru siswa mahasiswa kampus "
    "rumah sakit dokter pasien obat vaksin petani nelayan pedagang buruh pekerja perusahaan "
    "bank kredit pajak anggaran daerah provinsi kabupaten kota desa kecamatan gubernur bupati "
    "wali menteri presiden dewan partai pemilu suara kampanye calon pemilih hukum pengadilan "
    "jaksa hakim polisi kasus tersangka saksi banjir gempa longsor hujan musim kemarau hutan "
    "sungai laut pantai pulau gunung wisata turis hotel kuliner budaya festival seni musik "
    "film pemain pelatih tim klub liga pertandingan turnamen medali atlet stadion penonton "
    "teknologi aplikasi internet data ponsel jaringan digital perangkat startup investasi "
    "ekspor impor produk pabrik industri energi tambang batu bara nikel sawit karet kopi "
    "teh gula garam daging ikan ayam telur susu jagung kedelai program bantuan subsidi "
    "kebijakan aturan regulasi izin proyek pembangunan infrastruktur kawasan lahan tanah "
    "wilayah perbatasan kapal pesawat penerbangan kendaraan motor mobil lalu-lintas "
    "kemacetan polusi sampah lingkungan iklim cuaca kesehatan pendidikan ekonomi inflasi "
    "rupiah dolar saham bursa modal usaha koperasi komunitas keluarga anak perempuan pemuda "
    "tokoh pejabat kepala direktur ketua juru-bicara peneliti ahli pengamat lembaga survei "
    "laporan data angka target capaian hasil dampak risiko peluang tantangan solusi"
)

VERBS = _words(
    "mengatakan menyebutkan menjelaskan menegaskan mengungkapkan menyampaikan meminta "
    "mendorong membangun meningkatkan menurunkan menaikkan memperluas memperkuat mengurangi "
    "menambah menargetkan mencatat melaporkan meresmikan meluncurkan menggelar mengikuti "
    "menghadapi mengatasi menangani mengawasi memeriksa menetapkan memutuskan membahas "
    "menyiapkan menyalurkan membantu melayani mengembangkan memanfaatkan menjual membeli "
    "mengirim menerima menolak mendukung mengkritik mempertanyakan menilai memperkirakan "
    "memproyeksikan berharap berencana berupaya bekerja berlangsung berakhir bertambah "
    "berkurang meningkat menurun naik turun tumbuh melemah menguat bergerak bertahan"
)

ADJECTIVES = _words(
    "baru besar kecil tinggi rendah cepat lambat penting utama nasional lokal daerah "
    "internasional global digital sosial publik resmi terbuka tertutup aman sehat bersih "
    "murah mahal stabil signifikan serius positif negatif optimistis khusus umum terpadu "
    "berkelanjutan strategis produktif kreatif modern tradisional"
)

PLACES = _words(
    "Jakarta Surabaya Bandung Medan Semarang Makassar Palembang Denpasar Yogyakarta Malang "
    "Padang Pekanbaru Pontianak Banjarmasin Balikpapan Samarinda Manado Ambon Jayapura Kupang "
    "Mataram Bengkulu Jambi Lampung Serang Bogor Depok Bekasi Tangerang Solo Cirebon Tegal "
    "Kediri Jember Banyuwangi Batam Tanjungpinang Palu Kendari Ternate Sorong Merauke Aceh"
)

FIRST_NAMES = _words(
    "Andreas Siti Made Rini Budi Dewi Agus Nur Rudi Ratna Hendra Lestari Yusuf Ayu Bambang "
    "Wahyu Fitri Dimas Putri Arif Sri Joko Intan Fajar Indah Teguh Maya Rahmat Wulan Eko"
)

LAST_NAMES = _words(
    "Wicaksono Rahmawati Surya Kusumawardani Santoso Lestari Prasetyo Hidayat Saputra "
    "Nugroho Siregar Simanjuntak Harahap Pratama Utami Wijaya Setiawan Kurniawan Hakim "
    "Permana Susanto Handayani Gunawan Hutapea Tanjung Nasution Sembiring Purba Wibowo"
)

# Multi-word topics, joined with "|" so that spaces inside a topic survive.
TAG_BASES = _words(
    "Pemilu|Pilkada|Inflasi|Harga Beras|Harga Cabai|BBM|Tarif Listrik|Banjir|Gempa|"
    "Kemacetan|Timnas|Liga 1|Bulu Tangkis|MotoGP|Startup|Ekonomi Digital|Kecerdasan Buatan|"
    "Keamanan Siber|UMKM|Ekspor|Impor|Pariwisata|Kuliner|Pendidikan|Kesehatan|Vaksin|"
    "Stunting|Pajak|APBN|Investasi|Nikel|Sawit|Batu Bara|Energi Terbarukan|Mobil Listrik|"
    "Transportasi Umum|Kereta Cepat|Bandara|Pelabuhan|Perikanan|Pertanian|Pangan|Iklim|"
    "Polusi Udara|Sampah Plastik|Hutan|Korupsi|Pengadilan|Kepolisian|DPR|Kabinet|Diplomasi|"
    "ASEAN|Haji|Mudik|Lebaran|Ramadan|Natal|Film|Musik|Festival|Budaya|Sejarah|Sepak Bola|"
    "Futsal|Olimpiade|SEA Games|Perbankan|Bursa Saham|Rupiah|Properti|Perumahan|Ketenagakerjaan|"
    "Upah Minimum|Perlindungan Konsumen|Lalu Lintas|Narkoba|Terorisme|Bencana|Kebakaran Hutan|"
    "Air Bersih|Sanitasi|Internet|Telekomunikasi|Media Sosial|Gawai|E-Commerce|Fintech"
, "|")
